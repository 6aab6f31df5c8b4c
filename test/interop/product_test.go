package interop

// The product executable (dist/, serving the CloudTrail data source) through the same host
// path, against the local CloudTrail simulator. Values come from the simulator, so this
// checks the data plane contract of every decoded frame rather than exact numbers; the echo
// test (protocol_test.go) does exact value comparison.

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// startSimulator runs `tsx simulator/cli.ts --port 0 [args]` and returns its URL.
func startSimulator(t *testing.T, args ...string) string {
	t.Helper()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	args = append([]string{"simulator/cli.ts", "--port", "0", "--quiet", "--no-quotas"}, args...)
	cmd := exec.Command(filepath.Join(root, "node_modules", ".bin", "tsx"), args...)
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the CloudTrail simulator (needs node_modules): %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if i := strings.Index(scanner.Text(), "http://"); i >= 0 {
				found <- strings.TrimSpace(scanner.Text()[i:])
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case url := <-found:
		return url
	case <-time.After(30 * time.Second):
		t.Fatal("the simulator did not print its URL within 30 s")
		return ""
	}
}

func cloudTrailContext(endpoint string) *pluginv2.PluginContext {
	ctx := pluginContext()
	ctx.DataSourceInstanceSettings.Uid = "interop-cloudtrail"
	ctx.DataSourceInstanceSettings.JsonData = []byte(`{"authType":"keys","defaultRegion":"us-east-1","endpoint":"` + endpoint + `"}`)
	ctx.DataSourceInstanceSettings.DecryptedSecureJsonData = map[string]string{
		"accessKey": "AKIAINTEROPPRODUCT",
		"secretKey": "product-secret-do-not-log",
	}
	return ctx
}

// assertDataPlaneSeries checks one decoded frame against Grafana's timeseries-multi contract.
func assertDataPlaneSeries(t *testing.T, frame *data.Frame, refID string, from, to time.Time, periodSeconds int64) {
	t.Helper()
	if frame.RefID != refID {
		t.Errorf("frame refId %q, want %q", frame.RefID, refID)
	}
	if frame.Meta == nil || frame.Meta.Type != data.FrameTypeTimeSeriesMulti || frame.Meta.TypeVersion != (data.FrameTypeVersion{0, 1}) {
		t.Fatalf("frame meta is not timeseries-multi 0.1: %+v", frame.Meta)
	}
	if frame.Meta.ExecutedQueryString == "" {
		t.Error("frame meta has no executedQueryString")
	}
	if len(frame.Fields) != 2 || frame.Fields[0].Type() != data.FieldTypeTime || !frame.Fields[1].Type().Numeric() {
		t.Fatalf("frame fields are not [time, number]: %d fields", len(frame.Fields))
	}
	if len(frame.Fields[1].Labels) == 0 {
		t.Error("the number field carries no labels")
	}
	var previous time.Time
	for i := 0; i < frame.Fields[0].Len(); i++ {
		ts := frame.Fields[0].At(i).(time.Time)
		if ts.Before(from.Add(-time.Duration(periodSeconds)*time.Second)) || ts.After(to) {
			t.Fatalf("row %d: time %v outside the query range %v..%v (not nanoseconds?)", i, ts, from, to)
		}
		if ts.UnixNano()%(periodSeconds*int64(time.Second)) != 0 {
			t.Fatalf("row %d: time %v is not aligned to the %d s period", i, ts, periodSeconds)
		}
		if i > 0 && !ts.After(previous) {
			t.Fatalf("row %d: time %v does not increase", i, ts)
		}
		previous = ts
	}
}

func TestProductExecutableWithSimulator(t *testing.T) {
	endpoint := startSimulator(t)
	p := launch(t, productExecutable(t))
	t.Logf("go-plugin handshake with the product executable completed in %v", p.startup)
	ctx := ctxWithTimeout(t)
	pc := cloudTrailContext(endpoint)

	t.Run("listens on an owner-only unix socket", func(t *testing.T) {
		assertPrivateSocket(t, p, os.TempDir(), 0o600, 0o700, os.Getgid())
	})

	t.Run("CheckHealth reaches the simulator", func(t *testing.T) {
		res, err := p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pc})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != pluginv2.CheckHealthResponse_OK {
			t.Fatalf("health %v: %s", res.Status, res.Message)
		}
		if strings.Contains(res.Message+string(res.JsonDetails), "product-secret-do-not-log") {
			t.Fatal("a secret leaked into the health result")
		}
	})

	t.Run("QueryData: valid series decode with the SDK, bad queries fail alone", func(t *testing.T) {
		to := time.Now().UTC().Truncate(time.Minute)
		from := to.Add(-6 * time.Hour)
		valid, _ := json.Marshal(map[string]interface{}{
			"refId": "A", "eventSource": "iam.amazonaws.com", "eventName": "CreateUser",
			"insightType": "ApiCallRateInsight", "period": 300, "dataType": "FillWithZeros",
		})
		q := func(refID string, body []byte) *pluginv2.DataQuery {
			return &pluginv2.DataQuery{
				RefId: refID, QueryType: "metrics", MaxDataPoints: 1000, IntervalMS: 300000, Json: body,
				TimeRange: &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()},
			}
		}
		res, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: pc,
			Headers:       map[string]string{"FromAlert": "true"},
			Queries:       []*pluginv2.DataQuery{q("A", valid), q("BAD", []byte(`{"eventSource":`)), q("EMPTY", []byte(`{}`))},
		})
		if err != nil {
			t.Fatal(err)
		}
		a := res.Responses["A"]
		if a == nil || a.Error != "" || a.Status != 200 || len(a.Frames) == 0 {
			t.Fatalf("query A: %+v", a)
		}
		for _, raw := range a.Frames {
			frame, err := data.UnmarshalArrowFrame(raw)
			if err != nil {
				t.Fatalf("the SDK's decoder rejected a frame: %v", err)
			}
			assertDataPlaneSeries(t, frame, "A", from, to, 300)
		}
		for _, refID := range []string{"BAD", "EMPTY"} {
			r := res.Responses[refID]
			if r == nil || r.Error == "" || r.Status < 400 || r.Status >= 500 || r.ErrorSource != "plugin" {
				t.Errorf("query %s should fail alone with a 4xx plugin error: %+v", refID, r)
			}
		}
	})

	t.Run("QueryData: Insights events as a table and as numeric-multi counts for alert rules", func(t *testing.T) {
		to := time.Now().UTC()
		from := to.Add(-90 * 24 * time.Hour)
		q := func(refID, body string) *pluginv2.DataQuery {
			return &pluginv2.DataQuery{
				RefId: refID, QueryType: "events", MaxDataPoints: 1000, IntervalMS: 60000, Json: []byte(body),
				TimeRange: &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()},
			}
		}
		res, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: pc,
			Headers:       map[string]string{"FromAlert": "true"},
			Queries: []*pluginv2.DataQuery{
				q("TABLE", `{"queryType":"events"}`),
				q("COUNT", `{"queryType":"events","eventsFormat":"count"}`),
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		table := res.Responses["TABLE"]
		if table == nil || table.Error != "" || table.Status != 200 || len(table.Frames) != 1 {
			t.Fatalf("events table: %+v", table)
		}
		frame, err := data.UnmarshalArrowFrame(table.Frames[0])
		if err != nil {
			t.Fatalf("the SDK's decoder rejected the events table: %v", err)
		}
		rows, _ := frame.RowLen()
		if rows == 0 || frame.Fields[0].Type() != data.FieldTypeNullableTime || frame.Fields[1].Type() != data.FieldTypeNullableTime {
			t.Fatalf("events table: %d rows, start %v, end %v", rows, frame.Fields[0].Type(), frame.Fields[1].Type())
		}
		counts := res.Responses["COUNT"]
		if counts == nil || counts.Error != "" || counts.Status != 200 || len(counts.Frames) == 0 {
			t.Fatalf("events counts: %+v", counts)
		}
		total := 0.0
		seen := map[string]bool{}
		for _, raw := range counts.Frames {
			frame, err := data.UnmarshalArrowFrame(raw)
			if err != nil {
				t.Fatalf("the SDK's decoder rejected a count frame: %v", err)
			}
			if frame.Meta == nil || frame.Meta.Type != data.FrameTypeNumericMulti || frame.Meta.TypeVersion != (data.FrameTypeVersion{0, 1}) {
				t.Fatalf("count frame meta is not numeric-multi 0.1: %+v", frame.Meta)
			}
			if len(frame.Fields) != 1 || !frame.Fields[0].Type().Numeric() || frame.Fields[0].Len() != 1 {
				t.Fatalf("a numeric-multi frame holds one number field with one value: %d fields", len(frame.Fields))
			}
			labels := frame.Fields[0].Labels
			if labels["eventSource"] == "" || labels["eventName"] == "" || labels["insightType"] == "" {
				t.Fatalf("count labels must name the series: %v", labels)
			}
			// The data plane contract: labels make every series of one response unique.
			if seen[labels.String()] {
				t.Fatalf("two count series share labels %v", labels)
			}
			seen[labels.String()] = true
			value, _ := frame.Fields[0].FloatAt(0)
			total += value
		}
		if int(total) != rows {
			t.Fatalf("counts add up to %v, the table has %d Insights", total, rows)
		}
	})

	t.Run("CollectMetrics", func(t *testing.T) {
		res, err := p.diagnostics.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{PluginContext: pc})
		if err != nil || !strings.Contains(string(res.Metrics.Prometheus), "# TYPE") {
			t.Fatalf("metrics: %v %v", err, res)
		}
	})

	t.Run("CallResource answers an unknown path with a 4xx", func(t *testing.T) {
		stream, err := p.resource.CallResource(ctx, &pluginv2.CallResourceRequest{
			PluginContext: pc, Path: "no-such-resource", Method: "GET", Url: "no-such-resource",
		})
		if err != nil {
			t.Fatal(err)
		}
		chunk, err := stream.Recv()
		if err != nil || chunk.Code < 400 || chunk.Code >= 500 {
			t.Fatalf("resource answer: %v %v", chunk, err)
		}
	})

	t.Run("logs are hclog JSON and never contain secrets", func(t *testing.T) {
		assertCleanLogs(t, p, "product-secret-do-not-log", "AKIAINTEROPPRODUCT")
	})

	t.Run("Kill shuts the process down gracefully within 2 s", func(t *testing.T) { assertGracefulKill(t, p) })
}
