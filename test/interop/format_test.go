//go:build !oldsdk

package interop

// grafana-plugin-sdk-go v0.300.0's additions to the Data service, against the built executables:
//   - QueryDataRequest.format: Grafana's ClientV2 asks for JSON frames unless its toggle
//     datasources.jsonQueryDataFormat is off (grafana/grafana
//     pkg/services/pluginsintegration/clientmiddleware/query_data_format_middleware.go) and decodes
//     each DataResponse by its own format (backend.FromProto().QueryDataResponse).
//   - QueryChunkedData: we answer Unimplemented, and Grafana's ClientV2 then sends the queries as one
//     QueryData in the chunked request's format, each frame becoming one chunk (grafana/grafana
//     pkg/plugins/backendplugin/grpcplugin/client_v2_test.go, "QueryChunkedData is Unimplemented,
//     which makes ClientV2 fall back to the unary facade"; pkg/plugins/backendplugin/chunked/chunked.go).

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// decoded is the response as Grafana's client reads it: by each DataResponse's format.
func decoded(t *testing.T, res *pluginv2.QueryDataResponse) *backend.QueryDataResponse {
	t.Helper()
	out, err := backend.FromProto().QueryDataResponse(res)
	if err != nil {
		t.Fatalf("the SDK could not decode the response: %v", err)
	}
	return out
}

func TestFrameFormatsWithEchoBackend(t *testing.T) {
	p := launch(t, echoExecutable(t))
	ctx := ctxWithTimeout(t)
	expected := sampleFrames("A")
	ask := func(format pluginv2.DataFrameFormat) *pluginv2.QueryDataResponse {
		res, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: pluginContext(),
			Queries:       []*pluginv2.DataQuery{query("A", echoQueryJSON(expected...))},
			Format:        format,
		})
		if err != nil {
			t.Fatalf("QueryData (%v): %v", format, err)
		}
		return res
	}

	for _, format := range []pluginv2.DataFrameFormat{pluginv2.DataFrameFormat_ARROW, pluginv2.DataFrameFormat_JSON} {
		t.Run("QueryData in "+format.String()+" decodes to the frames sent", func(t *testing.T) {
			res := ask(format)
			a := res.Responses["A"]
			if a.Format != format || a.Status != 200 {
				t.Fatalf("response format %v status %d, want %v 200", a.Format, a.Status, format)
			}
			frames := decoded(t, res).Responses["A"].Frames
			if len(frames) != len(expected) {
				t.Fatalf("%d frames, want %d", len(frames), len(expected))
			}
			for i, frame := range frames {
				if diff := cmp.Diff(expected[i], frame, data.FrameTestCompareOptions()...); diff != "" {
					t.Errorf("frame %d (%s) differs (-want +got):\n%s", i, expected[i].Name, diff)
				}
			}
			// Milliseconds of a time survive both encodings exactly.
			got := frames[0].Fields[0].At(3).(time.Time)
			if got.UnixNano() != expected[0].Fields[0].At(3).(time.Time).UnixNano() {
				t.Errorf("time %v is not the one sent", got)
			}
		})
	}

	t.Run("JSON frames are the SDK's own frame JSON, one object each", func(t *testing.T) {
		for i, raw := range ask(pluginv2.DataFrameFormat_JSON).Responses["A"].Frames {
			// chunked.ProcessRawResponse tells JSON from Arrow by the first byte.
			if raw[0] != '{' {
				t.Fatalf("frame %d does not start with '{'", i)
			}
			var frame data.Frame
			if err := json.Unmarshal(raw, &frame); err != nil {
				t.Fatalf("frame %d: data.Frame rejected the JSON: %v", i, err)
			}
		}
	})

	t.Run("a failing query keeps its status and source in JSON format too", func(t *testing.T) {
		res, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: pluginContext(),
			Queries:       []*pluginv2.DataQuery{query("DOWN", []byte(`{"fail": {"message": "throttled", "source": "downstream", "status": 429}}`))},
			Format:        pluginv2.DataFrameFormat_JSON,
		})
		if err != nil {
			t.Fatal(err)
		}
		down := decoded(t, res).Responses["DOWN"]
		if down.Status != 429 || down.ErrorSource != backend.ErrorSourceDownstream || down.Error == nil {
			t.Fatalf("failing query: %+v", down)
		}
	})

	t.Run("QueryChunkedData answers Unimplemented, which sends Grafana back to QueryData", func(t *testing.T) {
		stream, err := p.data.QueryChunkedData(ctx, &pluginv2.QueryChunkedDataRequest{
			PluginContext: pluginContext(),
			Queries:       []*pluginv2.DataQuery{query("A", echoQueryJSON(expected...))},
			Format:        pluginv2.DataFrameFormat_JSON,
		})
		if err == nil {
			_, err = stream.Recv()
		}
		if status.Code(err) != codes.Unimplemented {
			t.Fatalf("QueryChunkedData: %v, want Unimplemented", err)
		}
		// What ClientV2 does next: the same queries as QueryData in the chunked request's format,
		// each frame one chunk (frameId = its index) for the raw receiver writing JSON lines.
		res := ask(pluginv2.DataFrameFormat_JSON)
		for i, raw := range res.Responses["A"].Frames {
			var frame data.Frame
			if raw[0] != '{' || json.Unmarshal(raw, &frame) != nil || frame.RefID != "A" {
				t.Fatalf("chunk %d is not a JSON frame of query A", i)
			}
		}
	})
}

func TestFrameFormatsWithProduct(t *testing.T) {
	endpoint := startSimulator(t)
	p := launch(t, productExecutable(t))
	ctx := ctxWithTimeout(t)
	pc := cloudTrailContext(endpoint)
	to := time.Now().UTC()
	from := to.Add(-90 * 24 * time.Hour)
	queries := func() []*pluginv2.DataQuery {
		q := func(refID, body string) *pluginv2.DataQuery {
			return &pluginv2.DataQuery{
				RefId: refID, QueryType: "events", MaxDataPoints: 1000, IntervalMS: 60000, Json: []byte(body),
				TimeRange: &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()},
			}
		}
		// Ended Insights only in the tables: an ongoing one's duration runs on between the two calls.
		return []*pluginv2.DataQuery{
			q("TABLE", `{"queryType":"events","state":"ended"}`),
			q("COUNT", `{"queryType":"events","eventsFormat":"count"}`),
			q("DATA", `{"queryType":"events","state":"ended","eventCategory":"data","trailName":"data-events"}`),
		}
	}
	answer := func(format pluginv2.DataFrameFormat) *backend.QueryDataResponse {
		res, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: pc, Queries: queries(), Format: format})
		if err != nil {
			t.Fatalf("QueryData (%v): %v", format, err)
		}
		for refID, r := range res.Responses {
			if r.Format != format || r.Status != 200 || r.Error != "" {
				t.Fatalf("%s in %v: format %v status %d error %q", refID, format, r.Format, r.Status, r.Error)
			}
		}
		return decoded(t, res)
	}
	arrow := answer(pluginv2.DataFrameFormat_ARROW)
	asJSON := answer(pluginv2.DataFrameFormat_JSON)
	for _, refID := range []string{"TABLE", "COUNT", "DATA"} {
		want, got := arrow.Responses[refID].Frames, asJSON.Responses[refID].Frames
		if len(want) == 0 || len(got) != len(want) {
			t.Fatalf("%s: %d JSON frames, %d Arrow frames", refID, len(got), len(want))
		}
		for i := range want {
			if diff := cmp.Diff(want[i], got[i], data.FrameTestCompareOptions()...); diff != "" {
				t.Errorf("%s frame %d: JSON and Arrow decode differently (-arrow +json):\n%s", refID, i, diff)
			}
		}
	}
	if rows, _ := asJSON.Responses["DATA"].Frames[0].RowLen(); rows == 0 {
		t.Error("the data-events trail's Insights table is empty")
	}
}
