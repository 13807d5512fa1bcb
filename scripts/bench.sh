#!/usr/bin/env bash
# The benchmark: generated directories in real slapd processes, the built service in production mode, and a closed
# loop of HEAD checks against it. Prints a Markdown report and writes it to bench/results/latest.md.
#   BENCH_SECONDS (default 10), BENCH_LARGE_SECONDS (5), BENCH_WARMUP_SECONDS (3) and BENCH_ALTERNATING_SECONDS (2)
#   set the durations.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-prerequisites.sh
npm run build --silent
npx tsc -p bench/tsconfig.json
# exec, so that a signal sent to this script reaches the benchmark, which stops what it started.
exec node dist/bench/bench/main.js
