#!/bin/sh
# `npm run server`: build the plugin (browser bundle + backend executables) and the simulator bundle,
# then start the demo stack of docker-compose.yaml. Extra arguments go to `compose up` (e.g. -d).
set -eu
cd "$(dirname "$0")/.."

npm run build
npm run build:backend
npm run build:simulator

if docker compose version >/dev/null 2>&1; then
  exec docker compose up "$@"
elif command -v docker-compose >/dev/null 2>&1; then
  exec docker-compose up "$@"
else
  echo "npm run server needs Docker with Compose (https://docs.docker.com/compose/install/)." >&2
  echo "The plugin is built in dist/; copy it into an existing Grafana as README.md describes." >&2
  exit 1
fi
