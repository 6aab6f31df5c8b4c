// Command bench is `npm run bench:peer`: one Go host harness (go-plugin with Grafana's handshake,
// grafana-plugin-sdk-go's Data client) launches our plugin executable and the Go peer
// (../plugin) side by side against the CloudTrail simulator and prints metric | ours | Go | ratio.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

type subject struct {
	name       string
	executable string
	env        []string
}

type row struct {
	metric string
	unit   string
	values [2]float64
}

func main() {
	root := flag.String("root", "../../..", "repository root (for the simulator)")
	ours := flag.String("ours", "dist/gpx_cloudtrail_insights_linux_amd64", "our executable, relative to -root")
	peer := flag.String("peer", ".cache/peer/gpx_peer", "the Go peer executable, relative to -root")
	n := flag.Int("n", 200, "queries per latency sample")
	peakQueries := flag.Int("peak", 1000, "queries of the long window before reading peak RSS")
	warmRounds := flag.Int("warm", 3, "rounds of -n uncached queries before the warm uncached sample")
	only := flag.String("only", "", "measure one part only, for quick experiments: cached, uncached or peak")
	flag.Parse()
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		r, _ := filepath.Abs(filepath.Join(*root, p))
		return r
	}
	rootDir := abs(".")
	endpoint, stopSimulator, err := startSimulator(rootDir)
	if err != nil {
		fail(err)
	}
	defer stopSimulator()
	cleanups = append(cleanups, stopSimulator)
	subjects := []subject{
		// Relaxed quotas (the simulator has none here) and no gather delay: uncached latency is then
		// the plugin's own work plus the call, as for the peer, which has neither.
		{name: "ours", executable: abs(*ours), env: []string{"CLOUDTRAIL_QUOTAS=ListInsightsMetricData=10000,default=10000", "CLOUDTRAIL_GATHER_MS=0"}},
		{name: "Go", executable: abs(*peer)},
	}
	pc := pluginContext(endpoint)
	ws := windows(time.Now())

	var table []row
	add := func(metric, unit string, i int, v float64) {
		for j := range table {
			if table[j].metric == metric {
				table[j].values[i] = v
				return
			}
		}
		r := row{metric: metric, unit: unit}
		r.values[i] = v
		table = append(table, r)
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	points := map[string]int{}

	direct := newCaller(endpoint)
	// Warms the simulator up (its JIT) before anything is timed.
	for _, w := range ws {
		for j := 0; j < *n; j++ {
			must(direct.call(distinctSeries(j), w))
		}
	}
	calls := map[string]latencies{}
	for i, s := range subjects {
		fmt.Fprintf(os.Stderr, "== %s (%s)\n", s.name, s.executable)
		if *only == "" || *only == "cached" {
			var handshakes latencies
			for l := 0; l < 5; l++ {
				r := must(start(s.executable, s.env))
				handshakes = append(handshakes, r.handshake)
				if l == 0 {
					time.Sleep(2 * time.Second)
					add("idle RSS", "MB", i, r.rssMB())
				}
				r.stop()
			}
			add("handshake (median of 5)", "ms", i, ms(handshakes.quantile(0.5)))

			r := must(start(s.executable, s.env))
			for _, w := range ws {
				req := request(pc, distinctSeries(0), w)
				res := must(ask(r, req))
				count := must(rows(res))
				points[fmt.Sprintf("%s %s", s.name, w.name)] = count
				// Untimed rounds first: a plugin serves for hours, so its steady state is what counts
				// (for ours this is the JIT's warm-up; the Go peer is compiled ahead of time).
				must(timed(r, *n, func(int) *pluginv2.QueryDataRequest { return req }))
				lat := must(timed(r, *n, func(int) *pluginv2.QueryDataRequest { return req }))
				add("cached "+w.name+" points, median", "ms", i, ms(lat.quantile(0.5)))
				add("cached "+w.name+" points, p95", "ms", i, ms(lat.quantile(0.95)))
			}
			throughputQueries := 20 * (*n)
			qps, cpu := must2(concurrent(r, 8, throughputQueries, request(pc, distinctSeries(0), ws[0])))
			add("throughput, 8 callers, cached 1,440", "queries/s (higher is better)", i, qps)
			add("CPU per cached 1,440-point query", "ms", i, ms(cpu))
			r.stop()
		}

		for _, w := range ws {
			if *only != "" && *only != "uncached" {
				break
			}
			r := must(start(s.executable, s.env))
			// One query of a series not in the sample first: credentials, clients and STS warm up.
			must(ask(r, request(pc, distinctSeries(223), ws[0])))
			lat, call, extra := uncachedSample(r, direct, pc, w, *n)
			calls[s.name+" "+w.name] = call
			add("uncached "+w.name+" points, median", "ms", i, ms(lat.quantile(0.5)))
			add("uncached "+w.name+" points, p95", "ms", i, ms(lat.quantile(0.95)))
			add("uncached "+w.name+" minus the same call made directly, median", "ms", i, ms(extra.quantile(0.5)))
			if w.name == ws[0].name {
				// The same sample again in the same process after warm-up rounds of uncached
				// queries (a plugin serves for hours): each round under another data source, whose
				// credentials have a cache of their own, so every query of the sample still fetches.
				for k := 1; k <= *warmRounds; k++ {
					uncachedSample(r, direct, otherDataSource(endpoint, k), w, *n)
				}
				_, _, warmExtra := uncachedSample(r, direct, otherDataSource(endpoint, *warmRounds+1), w, *n)
				add(fmt.Sprintf("uncached %s minus the call, after %d uncached queries, median", w.name, *warmRounds**n), "ms", i, ms(warmExtra.quantile(0.5)))
				add(fmt.Sprintf("uncached %s minus the call, after %d uncached queries, p95", w.name, *warmRounds**n), "ms", i, ms(warmExtra.quantile(0.95)))
			}
			r.stop()
		}

		if *only != "" && *only != "peak" {
			continue
		}
		r := must(start(s.executable, s.env))
		_, cpuLong := must2(concurrent(r, 8, *peakQueries, request(pc, distinctSeries(0), ws[1])))
		add("CPU per cached "+ws[1].name+"-point query", "ms", i, ms(cpuLong))
		add(fmt.Sprintf("peak RSS after %d queries of %s points (8 callers)", *peakQueries, ws[1].name), "MB", i, r.peakMB())
		r.stop()
	}

	fmt.Printf("Rows per frame: %v\nThe CloudTrail call alone (aws-sdk-go-v2 from the harness, median/p95 of %d):", points, *n)
	for _, s := range subjects {
		for _, w := range ws {
			call := calls[s.name+" "+w.name]
			if len(call) == 0 {
				continue
			}
			fmt.Printf(" before %s's %s sample %.1f/%.1f ms;", s.name, w.name, ms(call.quantile(0.5)), ms(call.quantile(0.95)))
		}
	}
	fmt.Println()
	fmt.Println()
	fmt.Println("| metric | unit | ours | Go | ours ÷ Go |")
	fmt.Println("| --- | --- | ---: | ---: | ---: |")
	for _, r := range table {
		fmt.Printf("| %s | %s | %.1f | %.1f | %.2f |\n", r.metric, r.unit, r.values[0], r.values[1], r.values[0]/r.values[1])
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		fail(err)
	}
	return v
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		fail(err)
	}
	return a, b
}

// cleanups run before fail exits (os.Exit skips deferred calls): a simulator left running would
// keep the caller's output pipe open and hang whoever reads it.
var cleanups []func()

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:peer:", err)
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(1)
}

// uncachedSample asks n distinct series once each, timing each query and, just before it, the
// same call made directly (so both see the same load); extra is the query's time less the call's.
func uncachedSample(r *running, direct *caller, pc *pluginv2.PluginContext, w window, n int) (lat, call, extra latencies) {
	lat = must(timed(r, n, func(j int) *pluginv2.QueryDataRequest {
		call = append(call, must(direct.call(distinctSeries(j), w)))
		return request(pc, distinctSeries(j), w)
	}))
	for j := range lat {
		extra = append(extra, lat[j]-call[j])
	}
	return lat, call, extra
}
