package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// The simulator's call-rate series (simulator/data/templates.ts) in every region: distinct
// series keys, so each uncached query really misses both plugins' caches.
var (
	callRateSeries = [][2]string{
		{"iam.amazonaws.com", "CreateUser"}, {"iam.amazonaws.com", "AttachRolePolicy"}, {"iam.amazonaws.com", "CreateAccessKey"},
		{"s3.amazonaws.com", "PutBucketPolicy"}, {"s3.amazonaws.com", "PutBucketTagging"}, {"ec2.amazonaws.com", "RunInstances"},
		{"ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"}, {"ec2.amazonaws.com", "TerminateInstances"},
		{"ec2.amazonaws.com", "CreateTags"}, {"kms.amazonaws.com", "CreateGrant"}, {"sts.amazonaws.com", "AssumeRole"},
		{"lambda.amazonaws.com", "UpdateFunctionCode20150331v2"}, {"lambda.amazonaws.com", "CreateFunction20150331"},
		{"ssm.amazonaws.com", "UpdateInstanceInformation"},
	}
	regions = []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"eu-central-1", "eu-north-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
		"ap-south-1", "sa-east-1", "ca-central-1"}
)

type series struct{ region, eventSource, eventName string }

// distinctSeries returns the n-th distinct series (n < 224).
func distinctSeries(n int) series {
	s := callRateSeries[n%len(callRateSeries)]
	return series{region: regions[(n/len(callRateSeries))%len(regions)], eventSource: s[0], eventName: s[1]}
}

// window is a query's time range of one-minute buckets that have all ended.
type window struct {
	name     string
	from, to time.Time
}

func windows(now time.Time) []window {
	to := now.Truncate(time.Minute).Add(-5 * time.Minute)
	// 15 days is the 60 s retention, so a range of ended buckets holds a little under 21,600;
	// starting 10 minutes inside it keeps the range valid for the whole run.
	long := now.Add(-15*24*time.Hour + 10*time.Minute).Truncate(time.Minute).Add(time.Minute)
	return []window{
		{name: "1,440", from: to.Add(-1440 * time.Minute), to: to},
		{name: "21,584", from: long, to: to},
	}
}

func pluginContext(endpoint string) *pluginv2.PluginContext {
	return &pluginv2.PluginContext{
		OrgId:    1,
		PluginId: "trailwatch-cloudtrailinsights-datasource",
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id: 1, Uid: "peer-bench", Name: "Peer bench", LastUpdatedMS: 1,
			JsonData:                []byte(`{"authType":"keys","defaultRegion":"us-east-1","endpoint":"` + endpoint + `"}`),
			DecryptedSecureJsonData: map[string]string{"accessKey": "AKIAPEERBENCH000001", "secretKey": "peer-bench-secret"},
		},
		GrafanaConfig: map[string]string{"AWS_AUTH_AllowedAuthProviders": "default,keys"},
	}
}

// otherDataSource is another data source instance with credentials of its own (the simulator
// takes any access key), so nothing it fetches is in the cache of the first.
func otherDataSource(endpoint string, k int) *pluginv2.PluginContext {
	pc := pluginContext(endpoint)
	settings := pc.DataSourceInstanceSettings
	settings.Id = int64(100 + k)
	settings.Uid = fmt.Sprintf("peer-bench-%d", k)
	settings.DecryptedSecureJsonData = map[string]string{"accessKey": fmt.Sprintf("AKIAPEERBENCH%06d", 100+k), "secretKey": "peer-bench-secret"}
	return pc
}

func request(pc *pluginv2.PluginContext, s series, w window) *pluginv2.QueryDataRequest {
	body, _ := json.Marshal(map[string]interface{}{
		"refId": "A", "queryType": "metrics", "region": s.region, "eventSource": s.eventSource, "eventName": s.eventName,
		"insightType": "ApiCallRateInsight", "period": 60, "dataType": "FillWithZeros",
	})
	return &pluginv2.QueryDataRequest{PluginContext: pc, Queries: []*pluginv2.DataQuery{{
		RefId: "A", QueryType: "metrics", MaxDataPoints: 100000, IntervalMS: 60000, Json: body,
		TimeRange: &pluginv2.TimeRange{FromEpochMS: w.from.UnixMilli(), ToEpochMS: w.to.UnixMilli()},
	}}}
}

// ask sends one query and checks it answered one frame without error.
func ask(r *running, req *pluginv2.QueryDataRequest) (*pluginv2.QueryDataResponse, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := r.data.QueryData(ctx, req)
	if err != nil {
		return nil, err
	}
	a := res.Responses["A"]
	if a == nil || a.Error != "" || len(a.Frames) != 1 {
		return nil, fmt.Errorf("query failed: %+v", a)
	}
	return res, nil
}

// rows decodes the answer with the SDK (outside any timing) and returns its row count.
func rows(res *pluginv2.QueryDataResponse) (int, error) {
	frame, err := data.UnmarshalArrowFrame(res.Responses["A"].Frames[0])
	if err != nil {
		return 0, err
	}
	return frame.Rows(), nil
}

type latencies []time.Duration

func (l latencies) quantile(q float64) time.Duration {
	sorted := append(latencies(nil), l...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	return sorted[int(q*float64(len(sorted)-1)+0.5)]
}

// timed runs n sequential queries built by next and returns their latencies.
func timed(r *running, n int, next func(i int) *pluginv2.QueryDataRequest) (latencies, error) {
	out := make(latencies, 0, n)
	for i := 0; i < n; i++ {
		req := next(i)
		began := time.Now()
		if _, err := ask(r, req); err != nil {
			return nil, err
		}
		out = append(out, time.Since(began))
	}
	return out, nil
}

// concurrent sends total queries from callers goroutines; returns queries/s and CPU per query.
func concurrent(r *running, callers, total int, req *pluginv2.QueryDataRequest) (float64, time.Duration, error) {
	var next atomic.Int64
	var failure atomic.Value
	var wg sync.WaitGroup
	cpuBefore := r.cpu()
	began := time.Now()
	for c := 0; c < callers; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(total) {
				if _, err := ask(r, req); err != nil {
					failure.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failure.Load().(error); err != nil {
		return 0, 0, err
	}
	elapsed := time.Since(began)
	return float64(total) / elapsed.Seconds(), (r.cpu() - cpuBefore) / time.Duration(total), nil
}
