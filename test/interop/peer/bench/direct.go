package main

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// caller makes the CloudTrail call alone: ListInsightsMetricData for the series and window an
// uncached query asks for, from the harness with aws-sdk-go-v2. Timed right before each
// uncached query and subtracted from it, it leaves what the plugin adds around the call.
type caller struct {
	endpoint string
	clients  map[string]*cloudtrail.Client
}

func newCaller(endpoint string) *caller {
	return &caller{endpoint: endpoint, clients: map[string]*cloudtrail.Client{}}
}

func (d *caller) call(s series, w window) (time.Duration, error) {
	c, ok := d.clients[s.region]
	if !ok {
		c = cloudtrail.New(cloudtrail.Options{
			Region: s.region, BaseEndpoint: aws.String(d.endpoint),
			Credentials: credentials.NewStaticCredentialsProvider("AKIAPEERBENCH000001", "peer-bench-secret", ""),
		})
		d.clients[s.region] = c
	}
	input := &cloudtrail.ListInsightsMetricDataInput{
		EventSource: aws.String(s.eventSource), EventName: aws.String(s.eventName),
		InsightType: types.InsightTypeApiCallRateInsight, Period: aws.Int32(60),
		DataType:  types.InsightsMetricDataTypeFillWithZeros,
		StartTime: aws.Time(w.from), EndTime: aws.Time(w.to), MaxResults: aws.Int32(21600),
	}
	began := time.Now()
	pages := cloudtrail.NewListInsightsMetricDataPaginator(c, input)
	for pages.HasMorePages() {
		if _, err := pages.NextPage(context.Background()); err != nil {
			return 0, err
		}
	}
	return time.Since(began), nil
}
