#!/bin/sh
# `npm run record:bytecode-order`: records which functions the plugin's executable runs while it
# starts and answers queries (Bun's BUN_BYTECODE_ORDER_OUT), into backend/bytecode-order.txt, the
# layout `npm run build:backend` gives the executables' bytecode. Run it after larger changes to the
# backend; an older recording still applies to the functions that did not change. Needs Go.
set -e
cd "$(dirname "$0")/.."
npm run build:backend -- --only linux_amd64 --no-bytecode-order
root=$PWD
out=$root/.cache/bytecode-order
rm -rf "$out" && mkdir -p "$out"
cat > "$out/record.sh" <<WRAPPER
#!/bin/sh
BUN_BYTECODE_ORDER_OUT="$out/order.\$\$.txt" exec "$root/dist/gpx_cloudtrail_insights_linux_amd64" "\$@"
WRAPPER
chmod +x "$out/record.sh"
# The peer harness's last phase: one process that starts, fills its cache and answers 100 queries
# (the harness also launches the Go peer, so it is built first, as `npm run bench:peer` does).
(cd test/interop/peer && go build -o ../../../.cache/peer/gpx_peer ./plugin && go run ./bench -only peak -peak 100 -ours "$out/record.sh" >/dev/null)
recorded=$(ls "$out"/order.*.txt)
cp "$recorded" backend/bytecode-order.txt && chmod 644 backend/bytecode-order.txt
echo "wrote backend/bytecode-order.txt ($(wc -l < backend/bytecode-order.txt) functions) from $recorded"
