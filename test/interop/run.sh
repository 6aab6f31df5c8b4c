#!/bin/sh
# `npm run test:interop`: the Go harness against the newest grafana-plugin-sdk-go and one over a
# year older. Needs Go, the product executable in dist/ (`npm run build:backend`) and builds the
# small protocol-test echo executable itself (linux only, a few seconds).
set -e
cd "$(dirname "$0")"
if ! command -v go >/dev/null 2>&1; then
  echo "test:interop needs Go (https://go.dev/dl/) on PATH; it is not installed here." >&2
  exit 1
fi
if [ ! -x ../../dist/gpx_cloudtrail_insights_linux_amd64 ] && [ -z "$PLUGIN_EXECUTABLE" ]; then
  echo "dist/gpx_cloudtrail_insights_linux_amd64 is missing: run 'npm run build:backend' first." >&2
  exit 1
fi
(cd ../.. && npx tsx scripts/build-backend.ts --entry backend/sdk/testing/echoMain.ts --outdir .cache/protocol-echo --only linux_amd64 >/dev/null)
echo "== grafana-plugin-sdk-go $(grep -o 'grafana-plugin-sdk-go v[0-9.]*' go.mod | cut -d' ' -f2) (newest)"
go test -count=1 ./...
echo "== grafana-plugin-sdk-go $(grep -o 'grafana-plugin-sdk-go v[0-9.]*' go.old.mod | cut -d' ' -f2) (over a year older)"
# Built with the oldsdk tag: that SDK has no frame format nor QueryChunkedData (format_test.go).
go test -count=1 -tags oldsdk -modfile=go.old.mod ./...
