#!/bin/sh
# Makes a fresh checkout ready to build and test: installs the npm dependencies when node_modules
# is missing or older than package-lock.json, and, with `--system` as root on Debian/Ubuntu, the
# system packages the tests use. Called by `npm run test:all` and `npm run server`, so that each is
# the only command a newcomer needs.
set -eu
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--system" ]; then
  # The one list of Debian packages (what each is for is written beside it).
  packages=$(sed 's/#.*//' scripts/system-packages.txt)
  missing=""
  for p in $packages; do
    # Installed, not merely known to dpkg (a removed package keeps its config files and a status).
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing system packages:$missing"
      DEBIAN_FRONTEND=noninteractive apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
    else
      echo "The tests need these Debian packages:$missing (sudo apt-get install -y$missing)" >&2
      exit 1
    fi
  fi
  command -v go >/dev/null 2>&1 || {
    echo "The interop tests need Go 1.24+ on PATH (https://go.dev/dl/)." >&2
    exit 1
  }
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
