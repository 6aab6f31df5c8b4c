#!/usr/bin/env bash
# Runs every test of the project, in the order their inputs are built. `npm run test:all` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$*"; }

step "dependencies (npm ci when needed; system packages and Go)"
sh scripts/ensure-deps.sh --system
step "build the frontend (dist/module.js, dist/plugin.json)"
npm run build
step "build the backend executables (dist/gpx_cloudtrail_insights_*)"
npm run build:backend
step "package the plugin zip"
npm run package
step "typecheck"
npm run typecheck
step "lint"
npm run lint
step "unit and integration tests (jest: browser + node projects)"
npm run test:ci
step "mutation tests of the core logic (Stryker; fails below the scores reached, see README)"
npm run test:mutation
step "end-to-end tests of the build: executables over gRPC against the simulator, zip, compose file"
npm run test:e2e
step "Go interop harness (grafana-plugin-sdk-go + go-plugin, newest and older SDK)"
npm run test:interop
step "launch-and-query smoke tests under the musl loader and qemu arm64"
npm run test:smoke
step "real browser test (Playwright + Debian chromium)"
npm run test:browser
step "all tests passed"
