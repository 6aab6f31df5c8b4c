package interop

// The queries sent to the protocol-test echo executable (backend/sdk/testing/echoInstance.ts,
// built by run.sh into .cache/protocol-echo): a query `{"frames": [...]}` is answered with
// exactly those frames, `{"fail": {...}}` throws a QueryError. The product executable, which
// serves the CloudTrail data source, is tested in product_test.go.

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

type echoField struct {
	Name     string            `json:"name"`
	Type     string            `json:"type"`
	Values   []interface{}     `json:"values"`
	Nullable bool              `json:"nullable,omitempty"`
	Labels   map[string]string `json:"labels,omitempty"`
	Config   *data.FieldConfig `json:"config,omitempty"`
}

type echoFrame struct {
	Name   string          `json:"name"`
	Fields []echoField     `json:"fields"`
	Meta   *data.FrameMeta `json:"meta,omitempty"`
}

func echoValue(v interface{}) (string, interface{}) {
	switch x := v.(type) {
	case time.Time:
		return "time", x.UnixMilli()
	case *time.Time:
		if x == nil {
			return "time", nil
		}
		return "time", x.UnixMilli()
	case float64:
		return "number", x
	case *float64:
		return "number", deref(x)
	case string:
		return "string", x
	case *string:
		return "string", deref(x)
	case bool:
		return "boolean", x
	case *bool:
		return "boolean", deref(x)
	}
	panic(fmt.Sprintf("unsupported value %T", v))
}

// deref is the value a nullable field holds: nil (JSON null) or what p points to.
func deref[T any](p *T) interface{} {
	if p == nil {
		return nil
	}
	return *p
}

// echoQueryJSON describes frames (built with the SDK's own types) as an echo query.
func echoQueryJSON(frames ...*data.Frame) []byte {
	out := []echoFrame{}
	for _, frame := range frames {
		ef := echoFrame{Name: frame.Name, Meta: frame.Meta, Fields: []echoField{}}
		for _, field := range frame.Fields {
			f := echoField{Name: field.Name, Labels: field.Labels, Config: field.Config, Nullable: field.Nullable(), Values: []interface{}{}}
			for i := 0; i < field.Len(); i++ {
				kind, value := echoValue(field.At(i))
				f.Type = kind
				f.Values = append(f.Values, value)
			}
			if f.Type == "" {
				f.Type = emptyFieldType(field)
			}
			ef.Fields = append(ef.Fields, f)
		}
		out = append(out, ef)
	}
	bytes, err := json.Marshal(map[string]interface{}{"frames": out})
	if err != nil {
		panic(err)
	}
	return bytes
}

func emptyFieldType(field *data.Field) string {
	switch field.Type() {
	case data.FieldTypeTime, data.FieldTypeNullableTime:
		return "time"
	case data.FieldTypeString, data.FieldTypeNullableString:
		return "string"
	case data.FieldTypeBool, data.FieldTypeNullableBool:
		return "boolean"
	}
	return "number"
}

func ptr[T any](v T) *T { return &v }

// sampleFrames covers what the CloudTrail layer will send: a data plane "timeseries-multi"
// series with labels, config and full meta, a nullable series, strings and booleans, and an
// empty typed frame.
func sampleFrames(refID string) []*data.Frame {
	base := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	times := []time.Time{base, base.Add(time.Minute), base.Add(2 * time.Minute), base.Add(3*time.Minute + 7*time.Millisecond)}
	series := data.NewFrame("ConsoleLogin",
		data.NewField("time", nil, times),
		data.NewField("value", data.Labels{"eventName": "ConsoleLogin", "insightType": "ApiCallRateInsight"},
			[]float64{1.5, 0, -2.25, 1e9}).SetConfig(&data.FieldConfig{DisplayNameFromDS: "ConsoleLogin", Unit: "short"}),
	)
	series.Meta = &data.FrameMeta{
		Type:                data.FrameTypeTimeSeriesMulti,
		TypeVersion:         data.FrameTypeVersion{0, 1},
		ExecutedQueryString: "ListInsightsMetricData eventName=ConsoleLogin period=60",
		Notices:             []data.Notice{{Severity: data.NoticeSeverityWarning, Text: "partial result"}},
		Stats:               []data.QueryStat{{FieldConfig: data.FieldConfig{DisplayName: "Pages"}, Value: 3}},
		Custom:              map[string]interface{}{"pages": 3.0, "region": "us-east-1"},
	}
	gaps := data.NewFrame("gaps",
		data.NewField("time", nil, []*time.Time{ptr(base), nil, ptr(base.Add(2 * time.Minute))}),
		data.NewField("value", data.Labels{"eventName": "RunInstances"}, []*float64{ptr(7.0), nil, ptr(0.125)}),
		data.NewField("note", nil, []*string{ptr("ok"), nil, ptr("ü ✓")}),
		data.NewField("flag", nil, []*bool{ptr(true), nil, ptr(false)}),
	)
	tableFrame := data.NewFrame("table",
		data.NewField("eventSource", nil, []string{"ec2.amazonaws.com", "iam.amazonaws.com"}),
		data.NewField("baseline", nil, []bool{true, false}),
	)
	empty := data.NewFrame("empty",
		data.NewField("time", nil, []time.Time{}),
		data.NewField("value", data.Labels{"eventName": "None"}, []float64{}),
	)
	empty.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
	frames := []*data.Frame{series, gaps, tableFrame, empty}
	for _, frame := range frames {
		frame.RefID = refID
	}
	return frames
}
