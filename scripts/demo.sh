#!/usr/bin/env bash
# The main job against the embedded simulator: start the default (flink) scenario on loopback,
# list its tasks and a sandbox, then follow every TaskManager's stdout with `mesos tail -f` for a
# while. Ends with status 0 on its own or on Ctrl-C, and removes everything it made.
#   DEMO_SECONDS  how long to follow (default 30)     DEMO_PORT  master port (default: a free one)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${DEMO_SECONDS:-30}"
port="${DEMO_PORT:-0}"
work=$(mktemp -d "${TMPDIR:-/tmp}/mesos-demo.XXXXXX")
export MESOS_CLI_CACHE_DIR="$work/cache"
sim=

cleanup() {
  trap - EXIT INT TERM
  if [ -n "$sim" ]; then
    kill -TERM "$sim" 2>/dev/null
    wait "$sim" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted"; exit 0' INT TERM

node bin/run.js sim up --port "$port" --duration $((seconds + 60)) >"$work/sim.out" 2>"$work/sim.err" &
sim=$!
for _ in $(seq 1 150); do
  grep -q '^leader: ' "$work/sim.out" 2>/dev/null && break
  kill -0 "$sim" 2>/dev/null || { cat "$work/sim.err" >&2; exit 1; }
  sleep 0.2
done
leader=$(sed -n 's/^leader: //p' "$work/sim.out")
[ -n "$leader" ] || { echo "demo: the simulator did not start" >&2; cat "$work/sim.err" >&2; exit 1; }
export MESOS_MASTER="$leader"
echo "# a simulated cluster at $leader (mesos sim up)"
echo "+ mesos ps"
node bin/run.js ps
echo "+ mesos ls taskmanager-00001"
node bin/run.js ls taskmanager-00001
echo "+ mesos tail -f taskmanager   (for ${seconds}s; Ctrl-C ends the demo)"
timeout --foreground -s INT "$seconds" node bin/run.js tail -f taskmanager
exit 0
