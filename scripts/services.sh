#!/usr/bin/env bash
# The one way to bring up (and down) what the backend needs locally: PostgreSQL, Redis, an S3 server and ffmpeg.
#   scripts/services.sh up     [--record FILE]   use what is running, start/install what is missing
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
FFMPEG_PATH=${FFMPEG_PATH:-ffmpeg}
FFPROBE_PATH=${FFPROBE_PATH:-ffprobe}
STATE_DIR=${STATE_DIR:-$ROOT/target/services}

say() { printf '%-9s %s\n' "$1:" "$2"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_port() { # host port seconds log
  for _ in $(seq 1 $(($3 * 5))); do
    listening "$1" "$2" && return 0
    sleep 0.2
  done
  [ -f "${4:-}" ] && tail -n 20 "$4" >&2
  die "nothing listens on $1:$2 after $3 s"
}

is_local() { case "$1" in 127.*|localhost|::1) return 0 ;; *) return 1 ;; esac; }

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

APT_UPDATED=
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null
}

# Starts a command fully detached from the caller: its own session, no stdin, output to a log file. A CI runner
# reading our output must never wait on a service we left running.
detach() { # name command...
  local name=$1; shift
  setsid "$@" </dev/null >"$STATE_DIR/$name.log" 2>&1 &
  echo $! >"$STATE_DIR/$name.pid"
}

record() { echo "$1" >>"$RECORD"; }

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
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    [ -n "$version" ] || die "no PostgreSQL cluster found under /etc/postgresql"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start </dev/null >"$STATE_DIR/postgres.log" 2>&1 \
      || { tail -n 20 "$STATE_DIR/postgres.log" >&2; die "could not start PostgreSQL $version"; }
    record "postgres-cluster $version"
    wait_for_port "$DB_HOST" "$DB_PORT" 30 "$STATE_DIR/postgres.log"
    # A fresh cluster only knows peer auth for the postgres user: give it the password the app uses over TCP.
    runuser -u postgres -- psql -q -c "ALTER USER \"$DB_USER\" PASSWORD '$DB_PASSWORD'" >/dev/null 2>&1 || true
    say postgres "started cluster $version/main on $DB_HOST:$DB_PORT"
  fi
  if command -v psql >/dev/null; then
    for db in "$DB_NAME" "$TEST_DB_NAME"; do
      if ! PGPASSWORD=$DB_PASSWORD psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc \
          "select 1 from pg_database where datname = '$db'" | grep -q 1; then
        PGPASSWORD=$DB_PASSWORD psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -qc "create database \"$db\"" \
          || die "could not create database $db"
        say postgres "created database $db"
      fi
    done
  else
    say postgres "psql not found: make sure databases $DB_NAME and $TEST_DB_NAME exist"
  fi
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
    listening "$REDIS_HOST" "$REDIS_PORT" && { say redis "using $REDIS_HOST:$REDIS_PORT"; return; }
  fi
  detach redis redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no --dir "$STATE_DIR"
  record redis
  wait_for_port "$REDIS_HOST" "$REDIS_PORT" 30 "$STATE_DIR/redis.log"
  say redis "started (pid $(cat "$STATE_DIR/redis.pid"), log $STATE_DIR/redis.log)"
}

s3_up() {
  local hostport host port
  hostport=${S3_ENDPOINT#*://}
  hostport=${hostport%%/*}
  host=${hostport%:*}
  port=${hostport##*:}
  if listening "$host" "$port"; then
    say s3 "using $S3_ENDPOINT"
    return
  fi
  is_local "$host" || die "S3 endpoint $S3_ENDPOINT is not reachable"
  local version jar
  version=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$ROOT/pom.xml")
  jar="$STATE_DIR/s3proxy-$version-jar-with-dependencies.jar"
  if [ ! -f "$jar" ]; then
    say s3 "resolving org.gaul:s3proxy:$version from Maven Central"
    "$ROOT/mvnw" -q -B dependency:copy -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
      -DoutputDirectory="$STATE_DIR" </dev/null >"$STATE_DIR/s3proxy-resolve.log" 2>&1 \
      || { tail -n 20 "$STATE_DIR/s3proxy-resolve.log" >&2; die "could not resolve S3Proxy"; }
  fi
  mkdir -p "$STATE_DIR/s3data"
  # filesystem-nio2 keeps objects as plain files under s3data; aws-v2-or-v4 accepts the SDK's V4 signatures,
  # presigned URLs included.
  cat >"$STATE_DIR/s3proxy.properties" <<EOF
s3proxy.endpoint=http://$host:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$STATE_DIR/s3data
EOF
  detach s3proxy java -Xmx256m -jar "$jar" --properties "$STATE_DIR/s3proxy.properties"
  record s3proxy
  wait_for_port "$host" "$port" 60 "$STATE_DIR/s3proxy.log"
  say s3 "started S3Proxy $version (pid $(cat "$STATE_DIR/s3proxy.pid"), log $STATE_DIR/s3proxy.log)"
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

stop_pid() { # name
  local pidfile="$STATE_DIR/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  say "$1" "stopped (pid $pid)"
}

down() {
  [ -f "$RECORD" ] || { echo "nothing recorded in $RECORD: nothing to stop"; return; }
  while read -r name arg; do
    case "$name" in
      postgres-cluster) pg_ctlcluster --skip-systemctl-redirect "$arg" main stop </dev/null >/dev/null 2>&1 || true
                        say postgres "stopped cluster $arg/main" ;;
      '') ;;
      *) stop_pid "$name" ;;
    esac
  done <"$RECORD"
  : >"$RECORD"
}

status() {
  local hostport=${S3_ENDPOINT#*://}
  hostport=${hostport%%/*}
  for svc in "postgres $DB_HOST $DB_PORT" "redis $REDIS_HOST $REDIS_PORT" "s3 ${hostport%:*} ${hostport##*:}"; do
    set -- $svc
    if listening "$2" "$3"; then say "$1" "up at $2:$3"; else say "$1" "down ($2:$3)"; fi
  done
  if command -v "$FFMPEG_PATH" >/dev/null; then say ffmpeg "$(command -v "$FFMPEG_PATH")"; else say ffmpeg missing; fi
}

command=${1:-}
shift || true
RECORD="$STATE_DIR/started"
while [ $# -gt 0 ]; do
  case "$1" in
    --record) RECORD=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
mkdir -p "$STATE_DIR"
touch "$RECORD"

case "$command" in
  up) postgres_up; redis_up; s3_up; ffmpeg_up ;;
  down) down ;;
  status) status ;;
  *) die "usage: scripts/services.sh up|down|status [--record FILE]" ;;
esac
