package interop

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

func pluginContext() *pluginv2.PluginContext {
	return &pluginv2.PluginContext{
		OrgId:    1,
		PluginId: "trailwatch-cloudtrailinsights-datasource",
		User:     &pluginv2.User{Login: "admin", Role: "Admin"},
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id:                      7,
			Uid:                     "interop-ds",
			Name:                    "Interop",
			JsonData:                []byte(`{"defaultRegion":"us-east-1","authType":"keys"}`),
			DecryptedSecureJsonData: map[string]string{"accessKey": "AKIAINTEROP", "secretKey": "do-not-log-me"},
			LastUpdatedMS:           1700000000000,
		},
		GrafanaConfig: map[string]string{"AWS_AUTH_AllowedAuthProviders": "default,keys"},
		PluginVersion: "1.0.0",
	}
}

func query(refID string, json []byte) *pluginv2.DataQuery {
	return &pluginv2.DataQuery{
		RefId:         refID,
		MaxDataPoints: 1000,
		IntervalMS:    60000,
		TimeRange:     &pluginv2.TimeRange{FromEpochMS: 1764000000000, ToEpochMS: 1764003600000},
		Json:          json,
	}
}

func ctxWithTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestProtocolWithEchoBackend runs the echo build through every service Grafana uses and
// compares each decoded frame with the frame the Go side described.
func TestProtocolWithEchoBackend(t *testing.T) {
	p := launch(t, echoExecutable(t))
	t.Logf("go-plugin handshake completed in %v", p.startup)
	ctx := ctxWithTimeout(t)

	t.Run("health service answers go-plugin's ping", func(t *testing.T) {
		if err := p.rpc.Ping(); err != nil {
			t.Fatalf("ping: %v", err)
		}
	})

	t.Run("CheckHealth", func(t *testing.T) {
		res, err := p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pluginContext()})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(res.Message, "Interop") {
			t.Fatalf("unexpected health: %v %q", res.Status, res.Message)
		}
		var details map[string]interface{}
		if err := json.Unmarshal(res.JsonDetails, &details); err != nil {
			t.Fatalf("jsonDetails: %v", err)
		}
		if strings.Contains(string(res.JsonDetails), "do-not-log-me") {
			t.Fatal("a secret value leaked into the health details")
		}
	})

	t.Run("QueryData decodes with the SDK and isolates failing queries", func(t *testing.T) {
		expected := sampleFrames("A")
		res, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: pluginContext(),
			Headers:       map[string]string{"FromAlert": "true"},
			Queries: []*pluginv2.DataQuery{
				query("A", echoQueryJSON(expected...)),
				query("BAD", []byte(`{"frames": [`)),
				query("DOWN", []byte(`{"fail": {"message": "throttled by AWS", "source": "downstream", "status": 429}}`)),
				query("EMPTY", []byte(`{}`)),
			},
		})
		if err != nil {
			t.Fatalf("QueryData call failed: %v", err)
		}
		a := res.Responses["A"]
		if a == nil || a.Error != "" || a.Status != 200 {
			t.Fatalf("query A: %+v", a)
		}
		if len(a.Frames) != len(expected) {
			t.Fatalf("query A: %d frames, want %d", len(a.Frames), len(expected))
		}
		for i, raw := range a.Frames {
			frame, err := data.UnmarshalArrowFrame(raw)
			if err != nil {
				t.Fatalf("frame %d: the SDK's decoder rejected it: %v", i, err)
			}
			if diff := cmp.Diff(expected[i], frame, data.FrameTestCompareOptions()...); diff != "" {
				t.Errorf("frame %d (%s) differs (-want +got):\n%s", i, expected[i].Name, diff)
			}
		}
		// Timestamps must be nanoseconds: 08:03:00.007 keeps its milliseconds exactly.
		first, _ := data.UnmarshalArrowFrame(a.Frames[0])
		if got := first.Fields[0].At(3).(time.Time); got.UnixNano() != expected[0].Fields[0].At(3).(time.Time).UnixNano() {
			t.Errorf("timestamp %v is not the nanosecond value sent", got)
		}

		bad := res.Responses["BAD"]
		if bad == nil || bad.Status != 400 || bad.ErrorSource != "plugin" || !strings.Contains(bad.Error, "not valid JSON") {
			t.Errorf("invalid JSON query: %+v", bad)
		}
		down := res.Responses["DOWN"]
		if down == nil || down.Status != 429 || down.ErrorSource != "downstream" || down.Error != "throttled by AWS" {
			t.Errorf("downstream failure: %+v", down)
		}
		empty := res.Responses["EMPTY"]
		if empty == nil || empty.Status != 400 || empty.Error == "" || len(empty.Frames) != 0 {
			t.Errorf("query without frames: %+v", empty)
		}
	})

	t.Run("QueryData returns a large series intact", func(t *testing.T) {
		res, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: pluginContext(),
			Queries:       []*pluginv2.DataQuery{query("B", []byte(`{"points": 21600}`))},
		})
		if err != nil {
			t.Fatal(err)
		}
		frame, err := data.UnmarshalArrowFrame(res.Responses["B"].Frames[0])
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := frame.RowLen()
		last := frame.Fields[0].At(rows - 1).(time.Time)
		if rows != 21600 || last.UnixMilli() != 1764003600000 || frame.Fields[1].Labels["series"] != "sine" {
			t.Fatalf("series: %d rows, last %v, labels %v", rows, last, frame.Fields[1].Labels)
		}
	})

	t.Run("CallResource streams an HTTP-like answer", func(t *testing.T) {
		stream, err := p.resource.CallResource(ctx, &pluginv2.CallResourceRequest{
			PluginContext: pluginContext(),
			Path:          "event-names",
			Method:        "POST",
			Url:           "event-names?region=eu-west-1",
			Headers:       map[string]*pluginv2.StringList{"Accept": {Values: []string{"application/json"}}},
			Body:          []byte("hello"),
		})
		if err != nil {
			t.Fatal(err)
		}
		var chunks []*pluginv2.CallResourceResponse
		for {
			chunk, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			chunks = append(chunks, chunk)
		}
		if len(chunks) != 1 || chunks[0].Code != 200 {
			t.Fatalf("chunks: %+v", chunks)
		}
		var body map[string]interface{}
		if err := json.Unmarshal(chunks[0].Body, &body); err != nil {
			t.Fatal(err)
		}
		want := map[string]interface{}{"path": "event-names", "method": "POST", "query": map[string]interface{}{"region": "eu-west-1"}, "bodyText": "hello", "disposed": false}
		if diff := cmp.Diff(want, body); diff != "" {
			t.Errorf("resource body (-want +got):\n%s", diff)
		}
		if ct := chunks[0].Headers["Content-Type"]; ct == nil || ct.Values[0] != "application/json" {
			t.Errorf("headers: %v", chunks[0].Headers)
		}
	})

	t.Run("an unhandled rejection and an uncaught exception do not stop the process", func(t *testing.T) {
		_, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: pluginContext(),
			Queries:       []*pluginv2.DataQuery{query("S", []byte(`{"sabotage": true, "points": 1}`))},
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		if err := p.rpc.Ping(); err != nil {
			t.Fatalf("plugin stopped answering: %v", err)
		}
		if !strings.Contains(p.logs.String(), "uncaught exception") {
			t.Fatal("the uncaught exception was not logged")
		}
	})

	t.Run("CollectMetrics returns Prometheus text", func(t *testing.T) {
		res, err := p.diagnostics.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{PluginContext: pluginContext()})
		if err != nil {
			t.Fatal(err)
		}
		text := string(res.Metrics.Prometheus)
		if !strings.Contains(text, "# TYPE") || !strings.Contains(text, "process_") {
			t.Fatalf("unexpected metrics text:\n%.500s", text)
		}
	})

	t.Run("logs are hclog JSON and never contain secrets", func(t *testing.T) {
		assertCleanLogs(t, p, "do-not-log-me", "AKIAINTEROP")
	})

	t.Run("Kill shuts the process down gracefully within 2 s", func(t *testing.T) { assertGracefulKill(t, p) })
}

// assertGracefulKill kills the plugin the way Grafana stops it (GRPCController/Shutdown, then a
// 2 s grace before SIGKILL) and requires a clean exit well inside that grace.
func assertGracefulKill(t *testing.T, p *launched) {
	t.Helper()
	started := time.Now()
	p.client.Kill()
	took := time.Since(started)
	if took >= 2*time.Second {
		t.Fatalf("Kill took %v", took)
	}
	state := p.cmd.ProcessState
	if state == nil || !state.Exited() || state.ExitCode() != 0 {
		t.Fatalf("process did not exit cleanly: %v", state)
	}
	if strings.Contains(p.logs.String(), "failed to exit gracefully") {
		t.Fatalf("go-plugin had to force-kill the plugin:\n%s", p.logs.String())
	}
	t.Logf("graceful shutdown took %v", took)
}

// assertCleanLogs requires that go-plugin parsed the plugin's stderr as hclog JSON (it re-logs
// such lines as "message: key=value"; raw text would keep its braces) and that no secret leaked.
func assertCleanLogs(t *testing.T, p *launched, secrets ...string) {
	t.Helper()
	logs := p.logs.String()
	if !strings.Contains(logs, "plugin started: ") || strings.Contains(logs, `"@message"`) {
		t.Fatalf("plugin log lines were not parsed as hclog JSON:\n%s", logs)
	}
	for _, secret := range secrets {
		if strings.Contains(logs, secret) {
			t.Fatalf("secret %q appeared in the plugin's logs", secret)
		}
	}
}
