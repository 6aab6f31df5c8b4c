#!/bin/sh
# `npm run server`: build the plugin (browser bundle + Linux backend executables) and the simulator
# bundle, then start the demo stack of docker-compose.yaml. Extra arguments go to `compose up` (e.g. -d).
set -eu
cd "$(dirname "$0")/.."

# Fail before the builds when there is nothing to run the stack on.
if docker compose version >/dev/null 2>&1; then
  compose="docker compose"
elif command -v docker-compose >/dev/null 2>&1; then
  compose="docker-compose"
else
  echo "npm run server needs Docker with Compose (https://docs.docker.com/compose/install/)." >&2
  echo "Without Docker: npm run build && npm run build:backend, then install dist/ as README.md describes." >&2
  exit 1
fi
if ! docker info >/dev/null 2>&1; then
  echo "npm run server: no Docker engine is reachable (is Docker running, and may this user use it?)." >&2
  exit 1
fi

sh scripts/ensure-deps.sh
npm run build
# The containers are Linux whatever the host is (npm run package needs every target: plain build:backend).
npm run build:backend -- --only linux
npm run build:simulator

exec $compose up "$@"
