#!/bin/sh
# Installs the reference tools the benchmarks compare against (Debian/Ubuntu).
set -e
PATH="$PATH:/usr/sbin:/sbin"
missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v nginx >/dev/null 2>&1 || missing="$missing nginx"
command -v haproxy >/dev/null 2>&1 || missing="$missing haproxy"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
# the proxy's native relay is compiled by npm run build (and by the bench before it runs)
command -v cc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
# the Node the desktop app embeds (Electron 45: Node 24), from the npm registry into .cache/:
# the proxy bench measures the proxy on it as well as on the Node running the bench
node "$(dirname "$0")/../scripts/node-runtime.mjs" >/dev/null
if [ -z "$missing" ]; then
  echo "bench tools present: wrk nginx haproxy curl cc, and Node for the desktop app's runtime"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends $missing
