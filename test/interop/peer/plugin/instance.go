package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
)

type settings struct {
	DefaultRegion string `json:"defaultRegion"`
	Endpoint      string `json:"endpoint"`
}

// peer is one data source instance: its credentials, a client per region and the point cache.
type peer struct {
	settings    settings
	credentials aws.CredentialsProvider
	cache       *pointCache

	mu      sync.Mutex
	clients map[string]*cloudtrail.Client
}

func newInstance(_ context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	var parsed settings
	if err := json.Unmarshal(s.JSONData, &parsed); err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	if parsed.DefaultRegion == "" {
		parsed.DefaultRegion = "us-east-1"
	}
	return &peer{
		settings:    parsed,
		credentials: credentials.NewStaticCredentialsProvider(s.DecryptedSecureJSONData["accessKey"], s.DecryptedSecureJSONData["secretKey"], ""),
		cache:       newPointCache(),
		clients:     map[string]*cloudtrail.Client{},
	}, nil
}

func (p *peer) client(region string) *cloudtrail.Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.clients[region]
	if !ok {
		c = cloudtrail.New(cloudtrail.Options{
			Region:      region,
			Credentials: p.credentials,
			HTTPClient:  &http.Client{Timeout: 30 * time.Second},
			BaseEndpoint: func() *string {
				if p.settings.Endpoint == "" {
					return nil
				}
				return aws.String(p.settings.Endpoint)
			}(),
		})
		p.clients[region] = c
	}
	return c
}

// QueryData answers each query on its own; a failing query fails alone.
func (p *peer) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	res := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		res.Responses[q.RefID] = p.query(ctx, q)
	}
	return res, nil
}
