// Command plugin is the Go peer for `npm run bench:peer`: a minimal CloudTrail Insights data
// source written the way a Go plugin author would, on grafana-plugin-sdk-go's instance manager,
// with aws-sdk-go-v2 and an in-memory cache of fetched points per series. It answers the same
// timeseries-multi frame as ours, so the benchmark compares the cost of the two stacks.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

func main() {
	if err := datasource.Manage("trailwatch-peer-datasource", newInstance, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("peer stopped", "error", err)
		os.Exit(1)
	}
}
