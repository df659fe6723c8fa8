#!/usr/bin/env bash
# The main job against the embedded simulator: start the default (flink) scenario on loopback,
# then follow every TaskManager's stdout with `mesos tail -f` for a while (Ctrl-C ends it sooner).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${DEMO_SECONDS:-30}"
port="${DEMO_PORT:-5050}"
export MESOS_MASTER="127.0.0.1:${port}" MESOS_CLI_CACHE_DIR="${TMPDIR:-/tmp}/mesos-demo-cache.$$"

node bin/run.js sim up --port "$port" --duration $((seconds + 15)) &
sim=$!
trap 'kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null; rm -rf "$MESOS_CLI_CACHE_DIR"' EXIT
for _ in $(seq 1 100); do
  node bin/run.js resolve >/dev/null 2>&1 && break
  sleep 0.2
done
echo "+ mesos ps"
node bin/run.js ps
echo "+ mesos ls taskmanager-00001"
node bin/run.js ls taskmanager-00001
echo "+ mesos tail -f taskmanager   (for ${seconds}s)"
timeout --foreground -s INT "$seconds" node bin/run.js tail -f taskmanager || true
