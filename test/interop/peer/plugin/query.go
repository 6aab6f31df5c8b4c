package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

type metricsQuery struct {
	Region      string `json:"region"`
	EventSource string `json:"eventSource"`
	EventName   string `json:"eventName"`
	InsightType string `json:"insightType"`
	ErrorCode   string `json:"errorCode"`
	Period      int32  `json:"period"`
	DataType    string `json:"dataType"`
}

func (q metricsQuery) labels(region string) data.Labels {
	labels := data.Labels{"region": region, "eventSource": q.EventSource, "eventName": q.EventName, "insightType": q.InsightType}
	if q.InsightType == "ApiErrorRateInsight" && q.ErrorCode != "" {
		labels["errorCode"] = q.ErrorCode
	}
	return labels
}

func (p *peer) query(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	var q metricsQuery
	if err := json.Unmarshal(dq.JSON, &q); err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin, "query JSON: "+err.Error())
	}
	if q.EventSource == "" || q.EventName == "" || q.Period <= 0 {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin, "eventSource, eventName and period are required")
	}
	if q.InsightType == "" {
		q.InsightType = "ApiCallRateInsight"
	}
	if q.DataType == "" {
		q.DataType = "FillWithZeros"
	}
	region := q.Region
	if region == "" || region == "default" {
		region = p.settings.DefaultRegion
	}
	period := time.Duration(q.Period) * time.Second
	start := dq.TimeRange.From.Truncate(period)
	end := dq.TimeRange.To.Truncate(period)
	if end.Before(dq.TimeRange.To) {
		end = end.Add(period)
	}
	key := strings.Join([]string{region, q.EventSource, q.EventName, q.InsightType, q.ErrorCode, fmt.Sprint(q.Period), q.DataType}, "|")

	points, source := p.cache.get(key, start, end)
	calls := 0
	if points == nil {
		fetched, n, err := p.fetch(ctx, region, q, start, end)
		if err != nil {
			return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
		}
		p.cache.put(key, start, end, fetched)
		points, calls, source = fetched, n, "fetched"
	}
	return backend.DataResponse{Frames: data.Frames{seriesFrame(dq.RefID, q, region, start, end, points, calls, source)}}
}

// fetch reads every page of ListInsightsMetricData for [start, end).
func (p *peer) fetch(ctx context.Context, region string, q metricsQuery, start, end time.Time) (*points, int, error) {
	input := &cloudtrail.ListInsightsMetricDataInput{
		EventSource: aws.String(q.EventSource),
		EventName:   aws.String(q.EventName),
		InsightType: types.InsightType(q.InsightType),
		Period:      aws.Int32(q.Period),
		DataType:    types.InsightsMetricDataType(q.DataType),
		StartTime:   aws.Time(start),
		EndTime:     aws.Time(end),
		MaxResults:  aws.Int32(21600),
	}
	if q.InsightType == "ApiErrorRateInsight" && q.ErrorCode != "" {
		input.ErrorCode = aws.String(q.ErrorCode)
	}
	out := &points{}
	calls := 0
	pages := cloudtrail.NewListInsightsMetricDataPaginator(p.client(region), input)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, calls, err
		}
		calls++
		if len(page.Timestamps) != len(page.Values) {
			return nil, calls, fmt.Errorf("page has %d timestamps and %d values", len(page.Timestamps), len(page.Values))
		}
		out.times = append(out.times, page.Timestamps...)
		out.values = append(out.values, page.Values...)
	}
	return out, calls, nil
}

func seriesFrame(refID string, q metricsQuery, region string, start, end time.Time, pts *points, calls int, source string) *data.Frame {
	kind := "API calls"
	if q.InsightType == "ApiErrorRateInsight" {
		kind = "errors"
	}
	what := q.EventName
	if q.InsightType == "ApiErrorRateInsight" && q.ErrorCode != "" {
		what += " " + q.ErrorCode
	}
	rate := "call rate"
	if q.InsightType == "ApiErrorRateInsight" {
		rate = "error rate"
	}
	name := fmt.Sprintf("%s (%s) %s", what, strings.TrimSuffix(q.EventSource, ".amazonaws.com"), rate)
	value := data.NewField("value", q.labels(region), pts.values).SetConfig(&data.FieldConfig{
		DisplayNameFromDS: name,
		Unit:              "short",
		Description:       fmt.Sprintf("Number of %s in each %d s period", kind, q.Period),
	})
	frame := data.NewFrame(name, data.NewField("time", nil, pts.times), value)
	frame.RefID = refID
	cacheHits := 0.0
	if source == "cache" {
		cacheHits = 1
	}
	frame.Meta = &data.FrameMeta{
		Type:        data.FrameTypeTimeSeriesMulti,
		TypeVersion: data.FrameTypeVersion{0, 1},
		ExecutedQueryString: fmt.Sprintf("ListInsightsMetricData %s %s %s period %d %s from %s to %s",
			q.EventSource, q.EventName, q.InsightType, q.Period, q.DataType, start.Format(time.RFC3339), end.Format(time.RFC3339)),
		Stats: []data.QueryStat{
			{FieldConfig: data.FieldConfig{DisplayName: "API calls"}, Value: float64(calls)},
			{FieldConfig: data.FieldConfig{DisplayName: "Cache hits"}, Value: cacheHits},
		},
		Custom: map[string]interface{}{"period": q.Period, "source": source, "startTime": start, "endTime": end},
	}
	return frame
}
