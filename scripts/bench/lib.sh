#!/usr/bin/env bash
# The one set-up of every benchmark in scripts/bench/: mode and defaults, a scratch dir, the services, a packaged app
# on its own database, sources queued through the real pipeline, load generators, statistics, targets and the report
# written into docs/benchmarks.md. Source it first thing (`source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"`, then
# `set -- "${BENCH_ARGS[@]}"`); do not run it.
#
#   scripts/bench/NAME.sh [--quick] [ARGS]
# Full mode: a warm-up before every measured run, RUNS (3) measured runs with the median and the spread (max − min
# over the mean) reported, any non-2xx answer fails the run, targets judged (the script exits 1 when one is missed),
# figures written to docs/benchmarks.md between the script's markers.
# Quick mode (--quick or BENCH_QUICK=1; README's test command runs every benchmark so, scripts/bench/quick.sh):
# tiny media, short loads, one run; checks that the benchmark works — every answer 2xx, every figure produced — and
# judges no target (a busy CI machine must not fail on speed) and writes nothing into docs/.
# Environment: BENCH_PORT (18080), BENCH_DB / BENCH_BUCKET (microdrama_bench_NAME / microdrama-bench-NAME), BENCH_APP
# (the packaged app's quarkus-app directory, default target/quarkus-app: another build to compare against), RUNS,
# WARMUP_SECONDS, CONNECTIONS, RUN_SECONDS, S3_ENDPOINT/S3_ACCESS_KEY/S3_SECRET_KEY and the DB_* of the app.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_DIR=$ROOT/scripts/bench
cd "$ROOT"
BENCH_NAME=$(basename "$0" .sh)

QUICK=${BENCH_QUICK:-}
BENCH_ARGS=()
for arg in "$@"; do
  if [ "$arg" = --quick ]; then QUICK=1; else BENCH_ARGS+=("$arg"); fi
done
# The full mode's value, or the quick mode's: pick FULL QUICK.
pick() { if [ -n "$QUICK" ]; then echo "$2"; else echo "$1"; fi; }

RUNS=${RUNS:-$(pick 3 1)}
WARMUP_SECONDS=${WARMUP_SECONDS:-$(pick 5 1)}
CONNECTIONS=${CONNECTIONS:-32}
RUN_SECONDS=${RUN_SECONDS:-$(pick 10 2)}

BENCH=$(mktemp -d /tmp/microdrama-bench.XXXXXX)
PORT=${BENCH_PORT:-18080}
APP=${BENCH_APP:-target/quarkus-app}
DB=${BENCH_DB:-microdrama_bench_${BENCH_NAME//-/_}}
BUCKET=${BENCH_BUCKET:-microdrama-bench-$BENCH_NAME}
export S3_ENDPOINT=${S3_ENDPOINT:-http://127.0.0.1:9100}
export S3_ACCESS_KEY=${S3_ACCESS_KEY:-microdrama-local}
export S3_SECRET_KEY=${S3_SECRET_KEY:-microdrama-local-secret}
PSQL=(env PGPASSWORD="${DB_PASSWORD:-postgres}" psql -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U "${DB_USER:-postgres}")
# The app's secrets outside dev and test; bench-only values (playback.sh signs tokens with the first).
PLAYBACK_SECRET=bench-only-playback-secret-0123456789abcdef
BENCH_CLEANUP=()
app_pid=

# Fails the benchmark from anywhere, a command substitution included: `exit` alone would only leave the subshell.
die() {
  echo "$BENCH_NAME: $*" >&2
  [ "$BASHPID" = "$$" ] || kill -TERM "$$"
  exit 1
}

bench_cleanup() {
  local status=$?
  for step in "${BENCH_CLEANUP[@]}"; do eval "$step" || true; done
  stop_app
  scripts/services.sh down --record "$BENCH/services" || true
  if [ "$status" = 0 ] && [ -s "$BENCH/missed" ]; then
    echo "$BENCH_NAME: targets missed:" >&2; sed 's/^/  /' "$BENCH/missed" >&2
    status=1
  fi
  if [ "$status" != 0 ] && [ -s "$BENCH/app.log" ]; then
    mkdir -p "$ROOT/target/bench-logs" && cp "$BENCH/app.log" "$ROOT/target/bench-logs/$BENCH_NAME-app.log" \
      && echo "$BENCH_NAME: the app's log is kept in target/bench-logs/$BENCH_NAME-app.log" >&2
  fi
  rm -rf "$BENCH"
  exit "$status"
}
trap bench_cleanup EXIT
trap 'exit 1' TERM INT
scripts/services.sh up --record "$BENCH/services"
echo "== $BENCH_NAME: $(pick "full mode, $RUNS runs" "quick mode: checks the benchmark works, judges no target")"

# Installs a missing Debian tool (as root), or says how: need_tool COMMAND PACKAGE.
need_tool() {
  command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "install $1: sudo apt-get install -y $2"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$2" </dev/null >/dev/null \
    || { apt-get -o DPkg::Lock::Timeout=300 update -qq </dev/null >/dev/null \
         && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$2" </dev/null >/dev/null; } \
    || die "could not install $2"
}

# autocannon (analytics.sh's ingest load), from scripts/bench/package-lock.json (npm ci when node_modules is missing
# or older).
need_autocannon() {
  command -v node >/dev/null || die "analytics' ingest load needs Node.js 20+ with npm (sudo apt-get install -y nodejs npm)"
  if [ ! -d "$BENCH_DIR/node_modules/autocannon" ] || [ "$BENCH_DIR/package-lock.json" -nt "$BENCH_DIR/node_modules" ]; then
    (cd "$BENCH_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in scripts/bench failed"
    touch "$BENCH_DIR/node_modules"
  fi
}

# nginx (one worker, on CPU 0 like the app) serving DIR's files at $NGINX_URL: the reference of the peaks, and what
# rate_floor measures the load generator against. Stopped with the benchmark.
NGINX_PORT=${NGINX_PORT:-$((PORT + 1))}
NGINX_URL=http://127.0.0.1:$NGINX_PORT
start_nginx() { # dir
  need_tool nginx nginx-light
  chmod o+rx "$BENCH" "$1" && chmod -R o+r "$1"  # nginx workers run unprivileged
  cat >"$BENCH/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $BENCH/nginx.pid;
error_log $BENCH/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; application/vnd.apple.mpegurl m3u8; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $1;
  }
}
EOF
  setsid taskset -c 0 nginx -c "$BENCH/nginx.conf" </dev/null >"$BENCH/nginx.log" 2>&1 &
  BENCH_CLEANUP+=("kill $!")
  for _ in $(seq 1 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$NGINX_URL/")" = 000 ] || return 0
    sleep 0.1
  done
  die "nginx did not start (see $BENCH/nginx-error.log)"
}

# The app's JVM as deploy/ runs it (JDK_JAVA_OPTIONS of the API pods): the serial collector. On the one core an API
# pod asks for, G1's young pauses were 20–45 ms every ~0.5 s at 4,000 playback starts/s (its two GC threads share
# the core), the serial collector's 2–6 ms every ~0.2 s (hot-paths.sh, constant-rate timelines).
APP_JAVA_OPTS=${APP_JAVA_OPTS:--XX:+UseSerialGC}

# Starts the packaged app (built when missing) on a fresh database (KEEP_DATABASE=1 keeps it); VAR=value arguments
# go to its environment, BENCH_JAVA_OPTS to the JVM. The request deadline is 30 s instead of 5 s: a cold app's first
# requests on a busy (CI) machine can take longer, and the timer costs the same whatever its length. One event loop:
# the app is measured on one core (pin_app), and deploy/ gives each API pod one loop per requested core.
start_app() {
  [ -f "$APP/quarkus-run.jar" ] || [ -n "${BENCH_APP:-}" ] || ./mvnw -q -B package -DskipTests
  if [ -z "${KEEP_DATABASE:-}" ]; then
    "${PSQL[@]}" -d postgres -qc "drop database if exists $DB with (force)" -qc "create database $DB"
  fi
  # shellcheck disable=SC2086
  env DB_NAME="$DB" S3_BUCKET="$BUCKET" HTTP_PORT="$PORT" TRANSCODE_WORK_DIR="$BENCH/work" \
    JWT_PUBLIC_KEY_LOCATION="$ROOT/deploy/dev-keys/jwt-public.pem" \
    PLAYBACK_TOKEN_SECRET=$PLAYBACK_SECRET AD_CALLBACK_SECRET=bench-only-ad-secret HTTP_REQUEST_DEADLINE=30s \
    EVENT_LOOPS="${EVENT_LOOPS:-1}" "$@" \
    setsid java '-Dquarkus.log.category."com.microdrama.transcode.LadderEncoder".level=DEBUG' $APP_JAVA_OPTS ${BENCH_JAVA_OPTS:-} -jar "$APP/quarkus-run.jar" </dev/null >>"$BENCH/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 240); do
    curl -sf "localhost:$PORT/q/health/ready" >/dev/null && return 0
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 30 "$BENCH/app.log" >&2
  die "the app did not become ready"
}

stop_app() {
  [ -n "$app_pid" ] || return 0
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=
}

# Pins the app (all its threads) to CPU 0; load generators run on CPU 1.
pin_app() { taskset -a -cp 0 "$app_pid" >/dev/null; }

json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

producer_token() { scripts/mint-token.sh producer bench-producer; }

# Mints COUNT viewer tokens, subjects PREFIX1..PREFIXCOUNT, one a line into FILE.
viewer_tokens() { # prefix count file
  local n
  for n in $(seq 1 "$2"); do scripts/mint-token.sh viewer "$1$n"; done >"$3"
}

# A generated source: KIND phone (16 Mb/s H.264 with sensor noise, what a phone uploads: far dearer to decode than a
# clean pattern), clean (CRF 20) or light (ultrafast, for quick runs and playback fixtures); AAC audio.
make_source() { # file seconds WIDTHxHEIGHT [kind]
  local file=$1 seconds=$2 size=$3 kind=${4:-phone} pattern rate
  case "$kind" in
    phone) pattern="testsrc2=size=$size:rate=30:duration=$seconds,noise=alls=12:allf=t"
           rate=(-preset veryfast -b:v 16M -maxrate 16M -bufsize 32M) ;;
    clean) pattern="testsrc2=size=$size:rate=30:duration=$seconds"; rate=(-preset veryfast -crf 20) ;;
    light) pattern="testsrc2=size=$size:rate=30:duration=$seconds"; rate=(-preset ultrafast) ;;
    *) die "make_source: unknown kind $kind" ;;
  esac
  ffmpeg -v error -y -f lavfi -i "$pattern" -f lavfi -i "sine=frequency=440:duration=$seconds" \
    -c:v libx264 "${rate[@]}" -pix_fmt yuv420p -c:a aac -shortest "$file" || die "could not generate $file"
}

# Creates a series and uploads FILE as its episode 1 through the producer's streamed upload, as a producer
# would (the version and its transcode job are queued by the app); prints "series episode version".
queue_source() { # file [slug]
  local file=$1 slug=${2:-bench-$RANDOM$RANDOM} producer series answer
  producer=$(producer_token)
  answer=$(curl -sS -X POST "localhost:$PORT/api/v1/producer/series" -H "Authorization: Bearer $producer" \
    -H 'Content-Type: application/json' -d "{\"slug\":\"$slug\",\"title\":\"Bench\",\"language\":\"en\",\"freeEpisodeCount\":1,\"coinPrice\":10}" \
    -w '\n%{http_code}')
  series=$(echo "$answer" | head -n -1 | json_field id)
  [ -n "$series" ] || die "the series $slug was not created: HTTP $(echo "$answer" | tail -n 1) $(echo "$answer" | head -n -1 | head -c 400)"
  answer=$(curl -sS -f -X POST -T "$file" -H "Authorization: Bearer $producer" -H 'Content-Type: video/mp4' \
    "localhost:$PORT/api/v1/producer/series/$series/episodes/1/source") \
    || { tail -n 30 "$BENCH/app.log" >&2; die "the upload was refused"; }
  echo "$series $(echo "$answer" | json_field episodeId) $(echo "$answer" | json_field versionId)"
}

# Waits for the version's job (of KIND, default the ladder's) to end; fails unless it succeeded.
wait_job() { # version [kind]
  local state= kind=${2:-}
  for _ in $(seq 1 2400); do
    state=$("${PSQL[@]}" -d "$DB" -tAc "select state from transcode_job where version_id = '$1'${kind:+ and kind = '$kind'}")
    case "$state" in succeeded|failed|cancelled) break ;; esac
    sleep 0.25
  done
  [ "$state" = succeeded ] || { tail -n 30 "$BENCH/app.log" >&2; die "job of $1 ${kind:+($kind) }$state"; }
}

publish_episode() { # series number
  local producer; producer=$(producer_token)
  curl -sf -X POST "localhost:$PORT/api/v1/producer/series/$1/publish" -H "Authorization: Bearer $producer" >/dev/null \
    || die "series $1 not published"
  curl -sf -X POST "localhost:$PORT/api/v1/producer/series/$1/episodes/$2/publish" -H "Authorization: Bearer $producer" \
    >/dev/null || die "episode $2 of $1 not published"
}

# Wall seconds and CPU seconds (user + system) of a command: "wall cpu".
timed() { # label command...
  local label=$1 wall user sys; shift
  /usr/bin/time -f "%e %U %S" -o "$BENCH/$label.time" "$@" >/dev/null 2>"$BENCH/$label.log" \
    || { tail -n 20 "$BENCH/$label.log" >&2; die "$label failed"; }
  read -r wall user sys <"$BENCH/$label.time"
  echo "$wall $(echo "$user + $sys" | bc)"
}

# Re-runs the last ffmpeg command the app logged whose arguments contain PATTERN, on a local copy of its job
# directory holding SOURCE, under `timed`: prints "wall cpu". The arguments come from the app's DEBUG line
# "ffmpeg arguments: [JSON array]" (start_app turns it on), exactly as the app passed them to ffmpeg.
rerun_app_ffmpeg() { # label pattern source
  local label=$1 line args a
  line=$(grep -F "ffmpeg arguments: [" "$BENCH/app.log" | grep -F -- "$2" | tail -n 1)
  [ -n "$line" ] || die "the $label ffmpeg command is not in the app log"
  rm -rf "${BENCH:?}/$label"; mkdir -p "$BENCH/$label/hls" "$BENCH/$label/out"
  cp "$3" "$BENCH/$label/source"
  head -c 16 /dev/urandom >"$BENCH/$label/segment.key"
  printf 'key\n%s\n%s\n' "$BENCH/$label/segment.key" "$(head -c 16 /dev/urandom | xxd -p)" >"$BENCH/$label/key.info"
  # The job directory is that of the input file:<job dir>/source; every argument gets the copy's instead.
  mapfile -d '' args < <(python3 -c '
import json, os, sys
args, copy = json.loads(sys.argv[1]), sys.argv[2]
job = os.path.dirname(next(a for flag, a in zip(args, args[1:]) if flag == "-i" and a.endswith("/source"))[len("file:"):])
sys.stdout.write("".join(a.replace(job, copy) + "\0" for a in args))' "${line#*ffmpeg arguments: }" "$BENCH/$label")
  [ ${#args[@]} -gt 0 ] || die "could not read the $label ffmpeg arguments from: $line"
  # Outputs go into directories under the job dir (<rung>/, a-<track>/): the same relative ones under the copy.
  for a in "${args[@]}"; do case "$a" in "$BENCH/$label"/*/*) mkdir -p "$(dirname "${a//%v/x}")" ;; esac; done
  for a in "${args[@]}"; do case "$a" in "$BENCH/$label"/%v/*) mkdir -p "$BENCH/$label/hls" ;; esac; done
  timed "$label" ffmpeg "${args[@]}"
}

# Statistics over the values given as arguments (or on stdin), separated by blanks or lines.
median() {
  { [ $# -gt 0 ] && printf '%s\n' "$@" || cat; } | tr -s ' \t' '\n\n' | awk NF | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
spread() { # max − min over the mean, in %
  { [ $# -gt 0 ] && printf '%s\n' "$@" || cat; } | tr -s ' \t' '\n\n' | awk NF | sort -g \
    | awk '{ v[NR] = $1; s += $1 } END { if (NR == 0) exit 1; printf "%.0f", (s ? 100 * (v[NR] - v[1]) / (s / NR) : 0) }'
}

# Requests/s, p99 in ms, of one wrk run (RUN_SECONDS, CONNECTIONS) pinned to CPU 1; fails on any non-2xx answer,
# socket error or a run without one answer (WARMING=1: timeouts and no answer are let through, see warm_up). wrk's
# own -d/-c/-s given after the URL win.
load() { # url [wrk args...]
  local url=$1 rps p99 errors; shift
  need_tool wrk wrk
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${RUN_SECONDS}s" --latency "$@" "$url" >"$BENCH/wrk.out" 2>&1 \
    || { cat "$BENCH/wrk.out" >&2; die "wrk failed on $url"; }
  errors=$(sed -n 's/.*Socket errors: //p' "$BENCH/wrk.out")
  [ -z "${WARMING:-}" ] || errors=${errors%%, timeout*}
  if grep -q "Non-2xx" "$BENCH/wrk.out" || grep -q "[1-9]" <<<"$errors"; then
    cat "$BENCH/wrk.out" >&2; die "non-2xx answers or socket errors from $url"
  fi
  rps=$(awk '/Requests\/sec/ {print $2}' "$BENCH/wrk.out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$BENCH/wrk.out")
  [ -n "$rps" ] && [ -n "$p99" ] || { cat "$BENCH/wrk.out" >&2; die "no figures from wrk on $url"; }
  [ -n "${WARMING:-}" ] || [ "$(echo "$rps > 0" | bc)" = 1 ] || { cat "$BENCH/wrk.out" >&2; die "no answer from $url in the run"; }
  echo "$rps $p99"
}

# Warm-up runs of WARMUP_SECONDS until one is warm: answers came, none timed out, p99 under a second, and its rate
# within 10 % of the run before (at most 10 runs). An app just started, or a path it has not run yet, answers 32
# connections on its one core slowly for tens of seconds (class loading, JIT on the same core): measured after one
# short warm-up, a run counted few answers or none, and the paid starts' three runs spread over 175 %. A warm path
# takes two warm-up runs.
warm_up() { # url [wrk args...]
  local rps p99 previous=0
  for _ in $(seq 1 10); do
    read -r rps p99 <<<"$(RUN_SECONDS=$WARMUP_SECONDS WARMING=1 load "$@")"
    # Warm: no timeouts, and the rate within 10 % of the warm-up run before (the JIT on one core takes a while).
    ! grep -Eq "timeout [1-9]" "$BENCH/wrk.out" && [ "$(echo "$rps > 0 && $p99 < 1000 && \
      $rps >= 0.9 * $previous && $rps <= 1.1 * $previous" | bc)" = 1 ] && return 0
    previous=$rps
  done
}

# The app's CPU time so far, in clock ticks (all its threads: event loops, GC, JIT).
app_ticks() { awk '{print $14 + $15}' "/proc/$app_pid/stat"; }
# The app's CPU microseconds per answer over the last wrk run (or over ANSWERS answers), given app_ticks from before
# it: what one answer costs the server whatever else shares the machine (1e6 / this = answers per second of one
# whole core). Prints nothing when the run counted no answer.
cpu_per_answer() { # ticks_before [answers]
  local answers=${2:-}
  [ -n "$answers" ] || answers=$(awk '/requests in/ {print $1}' "$BENCH/wrk.out")
  [ "${answers:-0}" -gt 0 ] || return 0
  echo "($(app_ticks) - $1) * 1000000 / $(getconf CLK_TCK) / $answers" | bc
}

# With PROFILE_DIR set: async-profiler's CPU stacks of the app (a sample per 1 ms of CPU time, every thread) while
# COMMAND runs (load ..., rate_load ...), collapsed, in PROFILE_DIR/NAME.collapsed, and the app's CPU microseconds per
# answer over it in PROFILE_DIR/NAME.cpu (cpu_per_answer; for rate_load, rate × its seconds, warm-up included).
# ASYNC_PROFILER_LIB: the libasyncProfiler.so of Maven Central's tools.profiler:async-profiler jar (linux-x64).
profile_run() { # name command...
  local name=$1 ticks answers=; shift
  [ -n "${PROFILE_DIR:-}" ] || return 0
  [ -f "${ASYNC_PROFILER_LIB:-}" ] || die "PROFILE_DIR needs ASYNC_PROFILER_LIB (libasyncProfiler.so)"
  mkdir -p "$PROFILE_DIR"
  # jcmd cuts an unquoted option at its first '=': the agent would get "start,event" alone.
  jcmd "$app_pid" JVMTI.agent_load "$ASYNC_PROFILER_LIB" '"start,event=itimer,interval=1ms"' >/dev/null
  ticks=$(app_ticks)
  if [ "$1" = rate_load ]; then
    "$@" >"$PROFILE_DIR/$name.rate"
    answers=$(echo "$2 * ($3 + $RATE_WARMUP_SECONDS)" | bc)
  else
    "$@" >/dev/null
  fi
  cpu_per_answer "$ticks" "$answers" >"$PROFILE_DIR/$name.cpu"
  jcmd "$app_pid" JVMTI.agent_load "$ASYNC_PROFILER_LIB" "\"stop,file=$PROFILE_DIR/$name.collapsed,collapsed\"" >/dev/null
}

# The peak: RUNS wrk runs, each after a warm-up (warm_up); "median_req/s median_p99_ms spread_%" (the spread
# of the req/s). With the app running, each measured run's server CPU per answer (cpu_per_answer, µs) is left one a
# line in $BENCH/peak.cpu.
peak() { # url [wrk args...]
  local rps=() p99=() r p ticks=
  : >"$BENCH/peak.cpu"
  for _ in $(seq 1 "$RUNS"); do
    warm_up "$@"
    ticks=; [ -z "$app_pid" ] || [ ! -r "/proc/$app_pid/stat" ] || ticks=$(app_ticks)
    read -r r p <<<"$(load "$@")"
    [ -z "$ticks" ] || cpu_per_answer "$ticks" >>"$BENCH/peak.cpu"
    rps+=("$r"); p99+=("$p")
  done
  echo "$(median "${rps[@]}") $(median "${p99[@]}") $(spread "${rps[@]}")"
}

# The constant-rate generator (RateLoad.java: requests sent on a schedule, each timed from when it was due), compiled
# once against the packaged app's Vert.x. Why not autocannon or Node's http: see RateLoad.java.
RATE_WARMUP_SECONDS=${RATE_WARMUP_SECONDS:-$(pick 10 1)}
need_rate_load() {
  [ -d "$APP/lib/main" ] || ./mvnw -q -B package -DskipTests
  # Without the app's SLF4J binding, which cannot start outside Quarkus and would print its complaint on every run.
  RATE_LOAD_CP=$BENCH/rate-load:$(find "$APP/lib/main" -name '*.jar' ! -name '*slf4j*' | tr '\n' :)
  [ ! -f "$BENCH/rate-load/RateLoad.class" ] || return 0
  mkdir -p "$BENCH/rate-load"
  javac -nowarn -cp "$RATE_LOAD_CP" -d "$BENCH/rate-load" "$BENCH_DIR/RateLoad.java" 2>"$BENCH/rate-load.log" \
    || { cat "$BENCH/rate-load.log" >&2; die "RateLoad.java does not compile"; }
}

# One constant-rate run from CPU 1 after RATE_WARMUP_SECONDS at the same rate (the generator's JIT on its one core
# takes ~10 s: measured against nginx, its early seconds have young pauses of 30–270 ms, its later ones under 1 ms):
# "achieved_req/s p99_ms p50_ms". Options after the URL go to RateLoad: -H 'Name: value', --tokens FILE (one bearer
# token a line, sent in turn), --paths FILE, --requests FILE (path<TAB>token lines, in turn), --method M, --body-file F.
# RATE_TIMELINE_DIR: each run's latencies per 100 ms there (RateLoad --timeline), to tell stalls from a spread tail.
rate_load() { # rate seconds url [options...]
  local rate=$1 seconds=$2 url=$3; shift 3
  need_rate_load
  local timeline=()
  if [ -n "${RATE_TIMELINE_DIR:-}" ]; then
    mkdir -p "$RATE_TIMELINE_DIR"
    timeline=(--timeline "$RATE_TIMELINE_DIR/$BENCH_NAME-$(date +%H%M%S)-$rate.tsv")
  fi
  taskset -c 1 java -XX:+UseSerialGC -Xms256m -Xmx256m \
    -cp "$RATE_LOAD_CP" RateLoad "$url" "$rate" "$seconds" "$CONNECTIONS" \
    --warmup "$RATE_WARMUP_SECONDS" "${timeline[@]}" "$@" || die "constant-rate load on $url failed"
}

# Latency at half of PEAK_RPS, at a constant rate: RUNS runs, each after a warm-up at that rate (rate_load);
# "target_req/s achieved_req/s median_p99_ms p99_spread_%".
half_load() { # peak_rps url [RateLoad options...]
  local rate rps=() p99=() r p
  rate=$(echo "$1 / 2" | bc); shift
  [ "$rate" -ge 1 ] || rate=1
  for _ in $(seq 1 "$RUNS"); do
    read -r r p _ <<<"$(rate_load "$rate" "$RUN_SECONDS" "$@")"
    rps+=("$r"); p99+=("$p")
  done
  echo "$rate $(median "${rps[@]}") $(median "${p99[@]}") $(spread "${p99[@]}")"
}

# The generator's own p99 at RATE: one constant-rate run against nginx serving FILE (in start_nginx's dir), so a
# half-load p99 is read next to what the generator and the machine add by themselves.
rate_floor() { # rate file
  local p99
  read -r _ p99 _ <<<"$(rate_load "$1" "$RUN_SECONDS" "$NGINX_URL/$2")"
  echo "$p99"
}

# "meets op bound", or "MISSES op bound" (remembered: the benchmark then exits 1). A quick run judges nothing.
verdict() { # value op bound
  if [ -n "$QUICK" ]; then echo "quick run, not judged: target $2 $3"; return; fi
  if [ "$(echo "$1 $2 $3" | bc)" = 1 ]; then echo "meets $2 $3"; else
    echo "MISSES $2 $3"; echo "$BENCH_NAME: $1 (target $2 $3)" >>"$BENCH/missed"
  fi
}

# All CPU time and the host's steal so far (/proc/stat, ticks): machine_note reports the steal since the bench began.
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9 }' /proc/stat; }
BENCH_CPU_TICKS0=$(cpu_ticks)
# How busy the machine was, for the report: the load average at the end and the share of CPU time the host (a VM's
# neighbours) took during the bench.
machine_note() {
  local total0 steal0 total1 steal1
  read -r total0 steal0 <<<"$BENCH_CPU_TICKS0"; read -r total1 steal1 <<<"$(cpu_ticks)"
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores at the end; host steal during the bench" \
    "$(awk -v t=$((total1 - total0)) -v s=$((steal1 - steal0)) 'BEGIN { printf "%.1f", t ? 100 * s / t : 0 }') %"
}

# Replaces the section between <!-- NAME:begin --> and <!-- NAME:end --> in docs/benchmarks.md (or appends it), and
# fails when a figure came out empty (an empty table cell or bold). A quick run writes nothing.
write_report() { # name report
  if echo "$2" | grep -Eq '\|\s*\||\*\*\s*\*\*'; then die "the report has an empty figure"; fi
  [ -n "$QUICK" ] && return 0
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

TICKS=$(getconf CLK_TCK)
# CPU ticks (user + system) used so far by the PostgreSQL backends connected to the bench's database.
backends_cpu() {
  local total=0 pid
  for pid in $("${PSQL[@]}" -d "$DB" -tAc "select pid from pg_stat_activity where datname = '$DB' and pid <> pg_backend_pid()"); do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
# The Redis server's CPU seconds used so far (user + system, all its threads) and commands processed so far. The
# server may serve others too: CPU over commands is then an average over everyone's commands.
redis_usage() {
  redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379}" info all | tr -d '\r' | awk -F: '
    $1 == "used_cpu_sys" || $1 == "used_cpu_user" { cpu += $2 }
    $1 == "total_commands_processed" { commands = $2 }
    END { printf "%.6f %d\n", cpu, commands }'
}
