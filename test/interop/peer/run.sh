#!/bin/sh
# `npm run bench:peer`: builds the Go peer data source (./plugin) and runs the Go host harness
# (./bench) against it and our executable in dist/, side by side against the CloudTrail
# simulator. Not part of the test command. Extra arguments go to the harness (-n, -peak).
set -e
cd "$(dirname "$0")"
if ! command -v go >/dev/null 2>&1; then
  echo "bench:peer needs Go (https://go.dev/dl/) on PATH." >&2
  exit 1
fi
if [ ! -x ../../../dist/gpx_cloudtrail_insights_linux_amd64 ]; then
  echo "dist/gpx_cloudtrail_insights_linux_amd64 is missing: run 'npm run build:backend -- --only linux_amd64' first." >&2
  exit 1
fi
go build -o ../../../.cache/peer/gpx_peer ./plugin
go run ./bench "$@"
