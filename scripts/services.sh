#!/usr/bin/env bash
# The one way to bring up (and down) what the backend needs locally: PostgreSQL, Redis, an S3 server and ffmpeg,
# plus what the dashboard's browser test needs (Debian's chromium, playwright-core in src/test/browser) and the
# OpenAPI lint (@redocly/cli in src/test/openapi).
#   scripts/services.sh up     [--record FILE] [--with-browser]
#                                                 use what is running, start/install what is missing; with
#                                                 --with-browser (the test command) also the browser test's needs
#   scripts/services.sh down   [--record FILE]   stop exactly what the matching `up` started, nothing else
#   scripts/services.sh status
# Configuration: the same environment variables as the app (see README.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-postgres}
DB_PASSWORD=${DB_PASSWORD:-postgres}
DB_NAME=${DB_NAME:-microdrama}
TEST_DB_NAME=${TEST_DB_NAME:-microdrama_test}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
S3_ENDPOINT=${S3_ENDPOINT:-http://127.0.0.1:9100}
S3_ACCESS_KEY=${S3_ACCESS_KEY:-microdrama-local}
S3_SECRET_KEY=${S3_SECRET_KEY:-microdrama-local-secret}
S3PROXY_CORS_ORIGINS=${S3PROXY_CORS_ORIGINS:-.*}
FFMPEG_PATH=${FFMPEG_PATH:-ffmpeg}
FFPROBE_PATH=${FFPROBE_PATH:-ffprobe}
CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
BROWSER_DIR=$ROOT/src/test/browser
LINT_DIR=$ROOT/src/test/openapi
STATE_DIR=${STATE_DIR:-$ROOT/target/services}

# A CI runner may hand us pipes on descriptors other than stdout/stderr and wait for them to close. Whatever we
# start (S3Proxy, Redis, a postmaster via pg_ctl, daemons apt starts) would inherit them, so drop them first.
for fd in "/proc/$$/fd"/*; do
  fd=${fd##*/}
  case "$fd" in 0|1|2|255|*[!0-9]*) ;; *) eval "exec $fd>&-" ;; esac
done

say() { printf '%-9s %s\n' "$1:" "$2"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_port() { # host port seconds log [pid]
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    if [ -n "${5:-}" ] && ! kill -0 "$5" 2>/dev/null; then
      tail -n 20 "$4" >&2
      die "process $5 exited; log $4"
    fi
    listening "$1" "$2" && return 0
    sleep 0.2
  done
  [ -f "$4" ] && tail -n 20 "$4" >&2
  die "nothing listens on $1:$2 after $3 s; log $4"
}

is_local() { case "$1" in 127.*|localhost) return 0 ;; *) return 1 ;; esac; }

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

APT_UPDATED=
apt_install() {
  # The lock timeout makes us queue behind another apt-get instead of failing.
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -qq)
  if [ -z "$APT_UPDATED" ]; then
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update </dev/null >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y "$@" </dev/null >/dev/null
}

# Starts a command fully detached from the caller: its own session, no stdin, output to a log file.
detach() { # name command...
  local name=$1
  shift
  setsid "$@" </dev/null >"$STATE_DIR/$name.log" 2>&1 &
  echo $! >"$STATE_DIR/$name.pid"
}

record() { echo "$*" >>"$RECORD"; }

# S3_ENDPOINT split into host and port, the port defaulting by scheme.
S3_HOSTPORT=${S3_ENDPOINT#*://}
S3_HOSTPORT=${S3_HOSTPORT%%/*}
S3_HOST=${S3_HOSTPORT%:*}
S3_PORT=${S3_HOSTPORT##*:}
if [ "$S3_HOST" = "$S3_HOSTPORT" ]; then
  case "$S3_ENDPOINT" in https:*) S3_PORT=443 ;; *) S3_PORT=80 ;; esac
fi

postgres_up() {
  if listening "$DB_HOST" "$DB_PORT"; then
    say postgres "using $DB_HOST:$DB_PORT"
  else
    is_local "$DB_HOST" || die "PostgreSQL at $DB_HOST:$DB_PORT is not reachable"
    if ! command -v pg_ctlcluster >/dev/null; then
      can_install || die "PostgreSQL is not running. Install it: sudo apt-get install -y postgresql"
      say postgres "installing Debian's postgresql"
      apt_install postgresql
    fi
    local version
    version=$(pg_lsclusters -h | awk '$2 == "main" { print $1 }' | sort -V | tail -n 1)
    [ -n "$version" ] || die "no PostgreSQL cluster 'main' (pg_lsclusters); create one: sudo pg_createcluster 15 main"
    # apt may have started the fresh cluster already.
    if ! listening "$DB_HOST" "$DB_PORT"; then
      pg_ctlcluster --skip-systemctl-redirect "$version" main start </dev/null >"$STATE_DIR/postgres.log" 2>&1 \
        || { tail -n 20 "$STATE_DIR/postgres.log" >&2; die "could not start PostgreSQL $version/main"; }
    fi
    record postgres-cluster "$version"
    wait_for_port "$DB_HOST" "$DB_PORT" 30 "$STATE_DIR/postgres.log"
    # A fresh cluster only knows peer auth for its users: give DB_USER the password the app uses over TCP.
    (cd / && runuser -u postgres -- psql -p "$DB_PORT" -qc "ALTER USER \"$DB_USER\" PASSWORD '$DB_PASSWORD'") \
      >/dev/null 2>&1 || say postgres "warning: could not set the password of $DB_USER"
    say postgres "started cluster $version/main on $DB_HOST:$DB_PORT"
  fi
  if ! command -v psql >/dev/null; then
    say postgres "warning: psql not found, make sure databases $DB_NAME and $TEST_DB_NAME exist"
    return
  fi
  local psql=(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -qtA) db exists
  for db in "$DB_NAME" "$TEST_DB_NAME"; do
    exists=$(PGPASSWORD=$DB_PASSWORD "${psql[@]}" -c "select 1 from pg_database where datname = '$db'" </dev/null)
    if [ -z "$exists" ]; then
      PGPASSWORD=$DB_PASSWORD "${psql[@]}" -c "create database \"$db\"" </dev/null
      say postgres "created database $db"
    fi
  done
}

redis_up() {
  if listening "$REDIS_HOST" "$REDIS_PORT"; then
    say redis "using $REDIS_HOST:$REDIS_PORT"
    return
  fi
  is_local "$REDIS_HOST" || die "Redis at $REDIS_HOST:$REDIS_PORT is not reachable"
  if ! command -v redis-server >/dev/null; then
    can_install || die "Redis is not running. Install it: sudo apt-get install -y redis-server"
    say redis "installing Debian's redis-server"
    apt_install redis-server
    # The package may have started its own instance on the default port.
    if listening "$REDIS_HOST" "$REDIS_PORT"; then
      say redis "using $REDIS_HOST:$REDIS_PORT (started by the package)"
      return
    fi
  fi
  detach redis redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no --dir "$STATE_DIR"
  local pid
  pid=$(cat "$STATE_DIR/redis.pid")
  record redis "$pid"
  wait_for_port "$REDIS_HOST" "$REDIS_PORT" 30 "$STATE_DIR/redis.log" "$pid"
  say redis "started (pid $pid, log $STATE_DIR/redis.log)"
}

s3_up() {
  if ! is_local "$S3_HOST"; then
    say s3 "using $S3_ENDPOINT (not local: nothing to start)"
    return
  fi
  if listening "$S3_HOST" "$S3_PORT"; then
    say s3 "using $S3_ENDPOINT"
    return
  fi
  local version jar pid
  version=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$ROOT/pom.xml")
  [ -n "$version" ] || die "no <s3proxy.version> property in pom.xml"
  jar="$STATE_DIR/s3proxy-$version-jar-with-dependencies.jar"
  if [ ! -f "$jar" ]; then
    say s3 "resolving org.gaul:s3proxy:$version from Maven Central"
    (cd "$ROOT" && ./mvnw -q -B dependency:copy -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
      -DoutputDirectory="$STATE_DIR") </dev/null >"$STATE_DIR/s3proxy-resolve.log" 2>&1 \
      || { tail -n 20 "$STATE_DIR/s3proxy-resolve.log" >&2; die "could not resolve S3Proxy $version"; }
  fi
  mkdir -p "$STATE_DIR/s3data"
  # Web players on other origins fetch segments and posters straight from storage (signed URLs), and browsers may PUT
  # upload parts: S3Proxy answers CORS itself (it has no per-bucket CORS API). Any origin locally; regexes,
  # space-separated, in S3PROXY_CORS_ORIGINS. A running S3Proxy keeps the settings it started with: restart it to change.
  # S3Proxy 4.x: `filesystem` is its own NIO.2 store (plain files under basedir, multipart emulated, no jclouds);
  # aws-v2-or-v4 checks SigV4 in headers and in presigned query strings alike.
  cat >"$STATE_DIR/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$STATE_DIR/s3data
s3proxy.cors-allow-origins=$S3PROXY_CORS_ORIGINS
s3proxy.cors-allow-methods=GET HEAD PUT
s3proxy.cors-allow-headers=Range Content-Type Content-MD5
s3proxy.cors-exposed-headers=ETag Content-Length Content-Range Accept-Ranges
EOF
  detach s3proxy java -Xmx256m -jar "$jar" --properties "$STATE_DIR/s3proxy.properties"
  pid=$(cat "$STATE_DIR/s3proxy.pid")
  record s3proxy "$pid"
  wait_for_port "$S3_HOST" "$S3_PORT" 60 "$STATE_DIR/s3proxy.log" "$pid"
  say s3 "started S3Proxy $version (pid $pid, log $STATE_DIR/s3proxy.log)"
}

ffmpeg_up() {
  if command -v "$FFMPEG_PATH" >/dev/null && command -v "$FFPROBE_PATH" >/dev/null; then
    say ffmpeg "using $(command -v "$FFMPEG_PATH")"
    return
  fi
  can_install || die "ffmpeg is missing. Install it: sudo apt-get install -y ffmpeg"
  say ffmpeg "installing Debian's ffmpeg"
  apt_install ffmpeg
  say ffmpeg "installed $(command -v ffmpeg)"
}

# The dashboard's browser test (AdminDashboardBrowserTest): Debian's chromium, and playwright-core as pinned by
# src/test/browser/package-lock.json (npm ci again whenever the lock is newer than node_modules).
browser_up() {
  if [ -x "$CHROMIUM_PATH" ]; then
    say browser "using $CHROMIUM_PATH"
  else
    can_install || die "chromium is missing (browser test). Install it: sudo apt-get install -y chromium"
    say browser "installing Debian's chromium"
    apt_install chromium
    [ -x "$CHROMIUM_PATH" ] || die "chromium installed but not at $CHROMIUM_PATH (set CHROMIUM_PATH)"
  fi
  command -v npm >/dev/null || die "npm is missing (browser test): install Node.js 20+ with npm"
  if [ ! -d "$BROWSER_DIR/node_modules" ] || [ "$BROWSER_DIR/package-lock.json" -nt "$BROWSER_DIR/node_modules" ]; then
    say browser "npm ci in src/test/browser"
    (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund) </dev/null >"$STATE_DIR/npm-ci.log" 2>&1 \
      || { tail -n 20 "$STATE_DIR/npm-ci.log" >&2; die "npm ci failed in $BROWSER_DIR; log $STATE_DIR/npm-ci.log"; }
    touch "$BROWSER_DIR/node_modules"
  fi
  say browser "playwright-core $(sed -n 's/^ *"version": "\(.*\)",*$/\1/p' "$BROWSER_DIR/node_modules/playwright-core/package.json" | head -n 1) in src/test/browser"
}

# The API contract's lint (OpenApiContractTest): Redocly CLI as pinned by src/test/openapi/package-lock.json, installed
# with the browser test's tools (the test command's --with-browser), again whenever the lock is newer.
lint_up() {
  command -v npm >/dev/null || die "npm is missing (OpenAPI lint): install Node.js 20+ with npm"
  if [ ! -d "$LINT_DIR/node_modules" ] || [ "$LINT_DIR/package-lock.json" -nt "$LINT_DIR/node_modules" ]; then
    say lint "npm ci in src/test/openapi"
    (cd "$LINT_DIR" && npm ci --no-audit --no-fund) </dev/null >"$STATE_DIR/npm-ci-lint.log" 2>&1 \
      || { tail -n 20 "$STATE_DIR/npm-ci-lint.log" >&2; die "npm ci failed in $LINT_DIR; log $STATE_DIR/npm-ci-lint.log"; }
    touch "$LINT_DIR/node_modules"
  fi
  say lint "@redocly/cli $(sed -n 's/^ *"version": "\(.*\)",*$/\1/p' "$LINT_DIR/node_modules/@redocly/cli/package.json" | head -n 1) in src/test/openapi"
}

stop_pid() { # name pid
  local name=$1 pid=$2 i
  # Only the process we started: a recorded pid may since have been reused by something else.
  if ! grep -qa "$name" "/proc/$pid/cmdline" 2>/dev/null; then
    say "$name" "not running (pid $pid)"
    return
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$STATE_DIR/$name.pid"
  say "$name" "stopped (pid $pid)"
}

down() {
  local name arg
  while read -r name arg; do
    case "$name" in
      postgres-cluster)
        pg_ctlcluster --skip-systemctl-redirect "$arg" main stop </dev/null >/dev/null 2>&1 || true
        say postgres "stopped cluster $arg/main" ;;
      '') ;;
      *) stop_pid "$name" "${arg:-$(cat "$STATE_DIR/$name.pid" 2>/dev/null || true)}" ;;
    esac
  done <"$RECORD"
  : >"$RECORD"
}

status() {
  local name host port
  while read -r name host port; do
    if listening "$host" "$port"; then say "$name" "up at $host:$port"; else say "$name" "down ($host:$port)"; fi
  done <<EOF
postgres $DB_HOST $DB_PORT
redis $REDIS_HOST $REDIS_PORT
s3 $S3_HOST $S3_PORT
EOF
  if command -v "$FFMPEG_PATH" >/dev/null && command -v "$FFPROBE_PATH" >/dev/null; then
    say ffmpeg "up at $(command -v "$FFMPEG_PATH")"
  else
    say ffmpeg "down ($FFMPEG_PATH / $FFPROBE_PATH not found)"
  fi
  if [ -x "$CHROMIUM_PATH" ] && [ -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
    say browser "up at $CHROMIUM_PATH, playwright-core in src/test/browser"
  else
    say browser "down ($CHROMIUM_PATH or src/test/browser/node_modules missing)"
  fi
}

command=${1:-}
shift || true
RECORD="$STATE_DIR/started"
WITH_BROWSER=
while [ $# -gt 0 ]; do
  case "$1" in
    --record) [ $# -ge 2 ] || die "--record needs a file"; RECORD=$2; shift 2 ;;
    --with-browser) WITH_BROWSER=1; shift ;;
    *) die "unknown option $1" ;;
  esac
done
mkdir -p "$STATE_DIR"
touch "$RECORD"

case "$command" in
  up) postgres_up; redis_up; s3_up; ffmpeg_up; [ -z "$WITH_BROWSER" ] || { browser_up; lint_up; } ;;
  down) down ;;
  status) status ;;
  *) die "usage: scripts/services.sh up|down|status [--record FILE] [--with-browser]" ;;
esac
