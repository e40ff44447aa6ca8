#!/usr/bin/env bash
# Shared by the benchmarks: a scratch dir, the services, a packaged app on its own database, sources queued
# through the real pipeline, and the report written into docs/benchmarks.md. Source it; do not run it.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BENCH=$(mktemp -d /tmp/microdrama-bench.XXXXXX)
PORT=${BENCH_PORT:-18080}
DB=microdrama_bench_$(basename "$0" .sh)
BUCKET=microdrama-bench-$(basename "$0" .sh)
export S3_ENDPOINT=${S3_ENDPOINT:-http://127.0.0.1:9100}
export S3_ACCESS_KEY=${S3_ACCESS_KEY:-microdrama-local}
export S3_SECRET_KEY=${S3_SECRET_KEY:-microdrama-local-secret}
PSQL=(env PGPASSWORD="${DB_PASSWORD:-postgres}" psql -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U "${DB_USER:-postgres}")
BENCH_CLEANUP=()
app_pid=

bench_cleanup() {
  for step in "${BENCH_CLEANUP[@]}"; do eval "$step" || true; done
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  scripts/services.sh down --record "$BENCH/services"
  rm -rf "$BENCH"
}
trap bench_cleanup EXIT
scripts/services.sh up --record "$BENCH/services"

# Starts the packaged app (built when missing; APP_JAR: another build's) on a fresh database; extra VAR=value
# arguments go to its env.
start_app() {
  [ -n "${APP_JAR:-}" ] || [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
  if [ -z "${KEEP_DATABASE:-}" ]; then
    "${PSQL[@]}" -d postgres -qc "drop database if exists $DB with (force)" -qc "create database $DB"
  fi
  env DB_NAME=$DB S3_BUCKET=$BUCKET HTTP_PORT=$PORT TRANSCODE_WORK_DIR="$BENCH/work" \
    JWT_PUBLIC_KEY_LOCATION="$ROOT/deploy/dev-keys/jwt-public.pem" \
    PLAYBACK_TOKEN_SECRET=bench-only-playback-secret-0123456789abcdef AD_CALLBACK_SECRET=bench-only-ad-secret "$@" \
    setsid java -jar "${APP_JAR:-target/quarkus-app/quarkus-run.jar}" </dev/null >"$BENCH/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 120); do
    curl -sf "localhost:$PORT/q/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  tail -n 30 "$BENCH/app.log" >&2
  echo "the app did not become ready" >&2
  exit 1
}

json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

# Creates a series and uploads FILE as its episode 1 through the producer's streamed upload, as a producer
# would (the version and its transcode job are queued by the app); prints "series episode version".
queue_source() { # file [slug]
  local file=$1 slug=${2:-bench-$RANDOM} producer series answer
  producer=$(scripts/mint-token.sh producer bench-producer)
  series=$(curl -sf -X POST "localhost:$PORT/api/v1/producer/series" -H "Authorization: Bearer $producer" \
    -H 'Content-Type: application/json' -d "{\"slug\":\"$slug\",\"title\":\"Bench\",\"language\":\"en\",\"freeEpisodeCount\":1,\"coinPrice\":10}" \
    | json_field id)
  answer=$(curl -sS -f -X POST -T "$file" -H "Authorization: Bearer $producer" -H 'Content-Type: video/mp4' \
    "localhost:$PORT/api/v1/producer/series/$series/episodes/1/source") \
    || { tail -n 30 "$BENCH/app.log" >&2; echo "the upload was refused" >&2; exit 1; }
  echo "$series $(echo "$answer" | json_field episodeId) $(echo "$answer" | json_field versionId)"
}

wait_job() { # version
  local state=
  for _ in $(seq 1 1200); do
    state=$("${PSQL[@]}" -d $DB -tAc "select state from transcode_job where version_id = '$1'")
    case "$state" in succeeded|failed|cancelled) break ;; esac
    sleep 0.5
  done
  [ "$state" = succeeded ] || { tail -n 30 "$BENCH/app.log" >&2; echo "job $state" >&2; exit 1; }
}

CONNECTIONS=${CONNECTIONS:-32}
RUN_SECONDS=${RUN_SECONDS:-10}
PACE_MS=2

# Requests/s, p99 in ms, of a wrk run pinned to CPU 1.
load() { # url [wrk args...]
  local url=$1; shift
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${RUN_SECONDS}s" --latency "$@" "$url" >"$BENCH/wrk.out"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$BENCH/wrk.out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$BENCH/wrk.out")
  grep -q "Non-2xx" "$BENCH/wrk.out" && { cat "$BENCH/wrk.out" >&2; echo "non-2xx answers from $url" >&2; exit 1; }
  echo "$rps $p99"
}

# "connections req/s p99" at half of PEAK_RPS. wrk paces in whole milliseconds: each connection waits PACE_MS
# between requests, and there are as many connections as half the peak needs at that pace (response times make
# the achieved rate a little lower). A lua script given after the URL is extended with the pacing.
half_load() { # peak_rps url [lua-script] [wrk args...]
  local peak=$1 url=$2 script=${3:-} connections
  shift 2; [ $# -gt 0 ] && shift
  connections=$(echo "$peak / 2 * $PACE_MS / 1000 + 1" | bc)
  { [ -n "$script" ] && cat "$script"; printf 'function delay() return %d end\n' "$PACE_MS"; } >"$BENCH/half.lua"
  echo "$connections $(load "$url" -c"$connections" -s "$BENCH/half.lua" "$@")"
}

verdict() { # value op bound
  if [ "$(echo "$1 $2 $3" | bc)" = 1 ]; then echo "meets $2 $3"; else echo "MISSES $2 $3"; fi
}

# Replaces the section between <!-- NAME:begin --> and <!-- NAME:end --> in docs/benchmarks.md (or appends it).
write_report() { # name report
  local doc=docs/benchmarks.md
  [ -f "$doc" ] || printf '# Benchmarks\n\nFigures from scripts/bench/, each measured as a ratio against a reference in the same run.\n' >"$doc"
  python3 - "$doc" "$1" "$2" <<'PY'
import re, sys
path, name, report = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
block = "<!-- %s:begin -->\n%s\n<!-- %s:end -->" % (name, report.strip(), name)
pattern = re.compile(r'<!-- %s:begin -->.*?<!-- %s:end -->' % (re.escape(name), re.escape(name)), re.S)
text = pattern.sub(lambda m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
open(path, 'w').write(text)
PY
}
