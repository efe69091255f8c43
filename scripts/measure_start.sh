#!/usr/bin/env bash
# Start to the first /healthz 200 with a fresh data dir, then twice with the existing one, and the idle RSS
# 5 s later: the numbers the foundation issue asks for. Usage: bash scripts/measure_start.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8765}
dir=$(mktemp -d /tmp/roleferry-measure.XXXXXX)
trap 'rm -rf "$dir"' EXIT
for mode in fresh existing existing; do
  start=$(date +%s%N)
  ROLEFERRY_DATA_DIR=$dir PORT=$port ROLEFERRY_CRON=off deno run -A main.ts >"$dir.log" 2>&1 &
  pid=$!
  until curl -sf "localhost:$port/healthz" >/dev/null; do sleep 0.01; done
  end=$(date +%s%N)
  sleep 5
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "$mode data dir: $(((end - start) / 1000000)) ms to the first /healthz 200; idle RSS $((rss / 1024)) MiB"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
rm -f "$dir.log"
