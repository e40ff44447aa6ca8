#!/usr/bin/env bash
# Transcode benchmarks, measured side by side in one run on one generated 1080x1920 clip:
#   1. single-pass ladder (the app's ffmpeg command) ÷ one ffmpeg run per rung, wall time   (target <= 0.75)
#   2. the whole pipeline in the running app (download, transcode, posters, upload, publish)
#      ÷ the bare ladder command on a local file, wall time                                 (target <= 1.15)
#   3. CPU-seconds per output minute of the single-pass ladder, for the record
# Figures are printed and written to docs/benchmarks.md (between the ladder markers).
#   [SOURCE=phone|clean] scripts/bench/ladder.sh [SECONDS=30]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SECONDS_OF_VIDEO=${1:-30}
BENCH=$(mktemp -d /tmp/microdrama-bench.XXXXXX)
PORT=18080
DB=microdrama_bench
BUCKET=microdrama-bench
export S3_ENDPOINT=${S3_ENDPOINT:-http://127.0.0.1:9100}
export S3_ACCESS_KEY=${S3_ACCESS_KEY:-microdrama-local}
export S3_SECRET_KEY=${S3_SECRET_KEY:-microdrama-local-secret}
PSQL=(env PGPASSWORD="${DB_PASSWORD:-postgres}" psql -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U "${DB_USER:-postgres}")

record="$BENCH/services"
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  scripts/services.sh down --record "$record"
  rm -rf "$BENCH"
}
trap cleanup EXIT
scripts/services.sh up --record "$record"

# Wall seconds and CPU seconds (user + system) of a command.
timed() { # label command...
  local label=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$BENCH/$label.time" "$@" >/dev/null 2>"$BENCH/$label.log" \
    || { tail -n 20 "$BENCH/$label.log" >&2; exit 1; }
  read -r wall user sys <"$BENCH/$label.time"
  echo "$wall $(echo "$user + $sys" | bc)"
}

# Phone-like by default: a producer's upload is a high-bitrate H.264 with sensor noise, which costs far more to
# decode than a clean synthetic pattern. SOURCE=clean measures the clean pattern instead.
echo "== generating a ${SECONDS_OF_VIDEO} s 1080x1920 ${SOURCE:-phone}-like source"
if [ "${SOURCE:-phone}" = clean ]; then
  pattern="testsrc2=size=1080x1920:rate=30:duration=$SECONDS_OF_VIDEO"; rate=(-crf 20)
else
  pattern="testsrc2=size=1080x1920:rate=30:duration=$SECONDS_OF_VIDEO,noise=alls=12:allf=t"; rate=(-b:v 16M -maxrate 16M -bufsize 32M)
fi
ffmpeg -v error -y -f lavfi -i "$pattern" -f lavfi -i "sine=frequency=440:duration=$SECONDS_OF_VIDEO" \
  -c:v libx264 -preset veryfast "${rate[@]}" -pix_fmt yuv420p -c:a aac -shortest "$BENCH/source.mp4"

echo "== starting the app (worker included) on :$PORT"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
"${PSQL[@]}" -d postgres -qc "drop database if exists $DB" -qc "create database $DB"
DB_NAME=$DB S3_BUCKET=$BUCKET HTTP_PORT=$PORT TRANSCODE_WORK_DIR="$BENCH/work" \
  JWT_PUBLIC_KEY_LOCATION="$ROOT/deploy/dev-keys/jwt-public.pem" \
  setsid java -jar target/quarkus-app/quarkus-run.jar </dev/null >"$BENCH/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do
  curl -sf "localhost:$PORT/q/health/ready" >/dev/null && break
  sleep 0.5
done
curl -sf "localhost:$PORT/q/health/ready" >/dev/null || { tail -n 30 "$BENCH/app.log" >&2; exit 1; }

echo "== queueing the source through the real pipeline"
producer=$(scripts/mint-token.sh producer bench-producer)
series=$(curl -sf -X POST "localhost:$PORT/api/v1/producer/series" -H "Authorization: Bearer $producer" \
  -H 'Content-Type: application/json' -d '{"slug":"bench","title":"Bench","language":"en"}' | sed 's/.*"id":"\([^"]*\)".*/\1/')
episode=$(curl -sf -X POST "localhost:$PORT/api/v1/producer/series/$series/episodes" -H "Authorization: Bearer $producer" \
  -H 'Content-Type: application/json' -d '{"number":1}' | sed 's/.*"id":"\([^"]*\)".*/\1/')
key="raw/bench/$(cat /proc/sys/kernel/random/uuid)"
# S3 wants the payload hash signed; curl does not compute it for us.
curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
  -H "x-amz-content-sha256: $(sha256sum "$BENCH/source.mp4" | cut -d' ' -f1)" \
  -T "$BENCH/source.mp4" "$S3_ENDPOINT/$BUCKET/$key" >/dev/null
version=$(cat /proc/sys/kernel/random/uuid)
"${PSQL[@]}" -d $DB -qc "insert into episode_version (id, episode_id, version_number, source_key, source_size)
  values ('$version', '$episode', 1, '$key', $(stat -c %s "$BENCH/source.mp4"))" \
  -qc "insert into transcode_job (id, version_id) values (gen_random_uuid(), '$version')"
state=
for _ in $(seq 1 1200); do
  state=$("${PSQL[@]}" -d $DB -tAc "select state from transcode_job where version_id = '$version'")
  case "$state" in succeeded|failed|cancelled) break ;; esac
  sleep 0.5
done
[ "$state" = succeeded ] || { tail -n 30 "$BENCH/app.log" >&2; echo "job $state" >&2; exit 1; }
pipeline=$("${PSQL[@]}" -d $DB -tAc "select extract(epoch from a.finished_at - a.started_at) from transcode_attempt
  a join transcode_job j on j.id = a.job_id where j.version_id = '$version' and a.outcome = 'succeeded'")

echo "== the bare single-pass ladder: the app's own ffmpeg command on a local file"
cmd=$(grep -m1 -o '/[^ ]*ffmpeg -loglevel .*-filter_complex .*index.m3u8' "$BENCH/app.log")
[ -n "$cmd" ] || { echo "ffmpeg command not found in the app log" >&2; exit 1; }
jobdir=$(echo "$cmd" | sed 's:.*-i file\:\([^ ]*\)/source .*:\1:')
mkdir -p "$BENCH/bare/hls"
cp "$BENCH/source.mp4" "$BENCH/bare/source"
head -c 16 /dev/urandom >"$BENCH/bare/segment.key"
printf 'key\n%s\n%s\n' "$BENCH/bare/segment.key" "$(head -c 16 /dev/urandom | xxd -p)" >"$BENCH/bare/key.info"
# Jaffree logs the command with its own quoting (the stream map has spaces): split it the way a shell would.
mapfile -d '' args < <(python3 -c 'import shlex, sys; sys.stdout.write("\0".join(shlex.split(sys.argv[1])))' \
  "${cmd//$jobdir/$BENCH/bare}")
read -r single_wall single_cpu <<<"$(timed single "${args[@]}")"
rungs=$(grep -o 'split=[0-9]*' <<<"$cmd" | cut -d= -f2)

echo "== one ffmpeg run per rung (same encoder settings)"
per_rung_wall=0
ladder=("1080 1920 4500000" "720 1280 2500000" "540 960 1500000" "360 640 700000")
for i in $(seq 0 $((rungs - 1))); do
  read -r w h b <<<"${ladder[$i]}"
  mkdir -p "$BENCH/rung$i"
  read -r wall _ <<<"$(timed "rung$i" ffmpeg -y -i "$BENCH/source.mp4" \
    -vf "fps=30,scale=$w:$h:force_original_aspect_ratio=decrease,pad=$w:$h:(ow-iw)/2:(oh-ih)/2,setsar=1" \
    -c:v libx264 -b:v "$b" -maxrate "$((b + b / 10))" -bufsize "$((b * 2))" -preset veryfast -profile:v high \
    -pix_fmt yuv420p -g 60 -keyint_min 60 -sc_threshold 0 -force_key_frames 'expr:gte(t,n_forced*2)' \
    -c:a aac -b:a 128000 -ac 2 -ar 48000 -f hls -hls_time 2 -hls_playlist_type vod \
    -hls_key_info_file "$BENCH/bare/key.info" -hls_segment_filename "$BENCH/rung$i/seg_%04d.ts" "$BENCH/rung$i/index.m3u8")"
  per_rung_wall=$(echo "$per_rung_wall + $wall" | bc)
done

ratio1=$(echo "scale=3; $single_wall / $per_rung_wall" | bc)
ratio2=$(echo "scale=3; $pipeline / $single_wall" | bc)
cpu_per_min=$(echo "scale=1; $single_cpu / ($SECONDS_OF_VIDEO / 60)" | bc)
verdict() { if [ "$(echo "$1 <= $2" | bc)" = 1 ]; then echo "meets ≤ $2"; else echo "MISSES ≤ $2"; fi; }

report=$(cat <<EOF
<!-- ladder-${SOURCE:-phone}:begin -->
## Transcode ladder, ${SOURCE:-phone}-like source ($(date -u +%Y-%m-%d), $(nproc) cores, ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3))

Source: ${SECONDS_OF_VIDEO} s 1080×1920 30 fps + AAC, generated (${SOURCE:-phone}-like: $(echo "scale=1; $(stat -c %s "$BENCH/source.mp4") * 8 / $SECONDS_OF_VIDEO / 1000000" | bc) Mb/s); ladder of $rungs rungs, x264 veryfast, 2 s segments, AES-128.

| measure | value |
| --- | --- |
| single-pass ladder, wall | ${single_wall} s |
| one ffmpeg per rung, wall (sum of $rungs runs) | ${per_rung_wall} s |
| **ratio 1: single-pass ÷ per-rung** | **${ratio1}** ($(verdict "$ratio1" 0.75)) |
| whole pipeline in the app (claim → published) | ${pipeline} s |
| **ratio 2: pipeline ÷ bare ladder** | **${ratio2}** ($(verdict "$ratio2" 1.15)) |
| CPU (user+sys) of the single-pass ladder | ${single_cpu} s |
| **CPU-seconds per output minute** | **${cpu_per_min}** |

Reproduce: \`SOURCE=${SOURCE:-phone} scripts/bench/ladder.sh ${SECONDS_OF_VIDEO}\`.
<!-- ladder-${SOURCE:-phone}:end -->
EOF
)
echo "$report"
doc=docs/benchmarks.md
[ -f "$doc" ] || printf '# Benchmarks\n\nFigures from scripts/bench/, each measured as a ratio against a reference in the same run.\n' >"$doc"
if grep -q '<!-- ladder-${SOURCE:-phone}:begin -->' "$doc"; then
  python3 - "$doc" "$report" "${SOURCE:-phone}" <<'PY'
import re, sys
path, report = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r'<!-- ladder-${SOURCE:-phone}:begin -->.*?<!-- ladder-${SOURCE:-phone}:end -->', lambda m: report, text, flags=re.S)
open(path, 'w').write(text)
PY
else
  printf '\n%s\n' "$report" >>"$doc"
fi
