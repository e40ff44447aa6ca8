#!/usr/bin/env bash
# The bench step of README's test command (scripts/test.sh runs it after ./mvnw verify): every benchmark in
# scripts/bench/ in its quick mode — tiny media, short loads, one run — so a benchmark that breaks fails CI. It checks
# that each works (every answer 2xx, every figure produced), not the speed targets, and writes nothing into docs/.
# Prints each benchmark's wall time; the log of one that fails is kept in target/bench-quick/. Exits 1 when one fails.
#   scripts/bench/quick.sh [NAME...]          (default: all of them)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Every script here but the shared ones: a benchmark added later is covered without being listed.
NAMES=()
for script in "$ROOT"/scripts/bench/*.sh; do
  name=$(basename "$script" .sh)
  case "$name" in lib|quick) ;; *) NAMES+=("$name") ;; esac
done
[ $# -eq 0 ] || NAMES=("$@")
mkdir -p "$ROOT/target/bench-quick"
failed=()
started=$SECONDS
for name in "${NAMES[@]}"; do
  log=$ROOT/target/bench-quick/$name.log
  t0=$SECONDS
  if BENCH_QUICK=1 "$ROOT/scripts/bench/$name.sh" </dev/null >"$log" 2>&1; then
    echo "bench $name (quick): ok, $((SECONDS - t0)) s"
  else
    echo "bench $name (quick): FAILED after $((SECONDS - t0)) s; the end of $log:"
    tail -n 40 "$log" | sed 's/^/  /'
    failed+=("$name")
  fi
done
echo "quick benchmarks: $((SECONDS - started)) s in all${failed[*]:+; failed: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
