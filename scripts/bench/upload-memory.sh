#!/usr/bin/env bash
# Heap bound of the streamed upload path: streams a generated 1 GiB (valid) MP4 through the running packaged app
# and reports heap growth against the idle baseline, from two sources:
#   - live heap after each GC during the upload (GC log), which is what the upload retains;
#   - peak heap used sampled every 100 ms with jstat (includes garbage not yet collected).
# The app also runs with a hard -Xmx cap (default 128m): completing at all proves the upload does not need more.
#
# Needs: PostgreSQL and an S3 endpoint (S3_ENDPOINT, default http://127.0.0.1:9100, as scripts/services.sh), ffmpeg, curl, openssl, a JDK
# (jcmd, jstat). Usage: scripts/bench/upload-memory.sh [size_in_MiB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZE_MIB=${1:-1024}
HEAP=${BENCH_HEAP:-128m}
PORT=${BENCH_PORT:-18081}
WORK=$(mktemp -d /tmp/upload-bench.XXXXXX)
export S3_ENDPOINT=${S3_ENDPOINT:-http://127.0.0.1:9100}
export S3_BUCKET=${BENCH_BUCKET:-microdrama-bench}
export DB_NAME=${BENCH_DB_NAME:-microdrama_bench}
export JWT_PUBLIC_KEY_LOCATION=deploy/dev-keys/jwt-public.pem
export HTTP_PORT=$PORT
# Outside dev and test the app refuses to start without these; bench-only values.
export PLAYBACK_TOKEN_SECRET=${PLAYBACK_TOKEN_SECRET:-bench-only-playback-secret-0123456789abcdef}
export AD_CALLBACK_SECRET=${AD_CALLBACK_SECRET:-bench-only-ad-secret}
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in ffmpeg curl openssl jcmd jstat java; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
if command -v psql >/dev/null; then
  psql -h "${DB_HOST:-127.0.0.1}" -U "${DB_USER:-postgres}" -tAc "select 1 from pg_database where datname='$DB_NAME'" postgres \
    | grep -q 1 || createdb -h "${DB_HOST:-127.0.0.1}" -U "${DB_USER:-postgres}" "$DB_NAME"
fi
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

echo "== generating a ${SIZE_MIB} MiB MP4 (a 2 s 180x320 clip plus a trailing 'free' box)"
ffmpeg -v error -y -f lavfi -i testsrc=s=180x320:r=25:d=2 -c:v libx264 -preset ultrafast "$WORK/clip.mp4"
CLIP=$(stat -c %s "$WORK/clip.mp4")
PAD=$(( SIZE_MIB * 1048576 - CLIP ))
{ cat "$WORK/clip.mp4"; printf "%08x" "$PAD" | xxd -r -p; printf 'free'; head -c $(( PAD - 8 )) /dev/zero; } > "$WORK/big.mp4"
ls -l "$WORK/big.mp4"

echo "== starting the app with -Xmx$HEAP"
java -Xmx"$HEAP" -Xlog:gc:file="$WORK/gc.log":uptime -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log"; exit 1; }
  sleep 1
done

b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
NOW=$(date +%s)
HEADER=$(printf '{"alg":"RS256","typ":"JWT"}' | b64)
PAYLOAD=$(printf '{"iss":"https://microdrama.local","sub":"bench-producer","upn":"bench-producer","groups":["producer"],"iat":%d,"exp":%d}' "$NOW" $((NOW + 3600)) | b64)
SIG=$(printf '%s.%s' "$HEADER" "$PAYLOAD" | openssl dgst -sha256 -sign deploy/dev-keys/jwt-private.pem | b64)
AUTH="Authorization: Bearer $HEADER.$PAYLOAD.$SIG"
SERIES=$(curl -fs -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"slug\":\"bench-$NOW\",\"title\":\"Bench\",\"language\":\"en\"}" \
  "http://127.0.0.1:$PORT/api/v1/producer/series" | sed -E 's/.*"id":"([^"]+)".*/\1/')
URL="http://127.0.0.1:$PORT/api/v1/producer/series/$SERIES/episodes"

echo "== warm-up upload"
curl -fs -o /dev/null -H "$AUTH" -H 'Content-Type: video/mp4' --data-binary @"$WORK/clip.mp4" "$URL/1/source"
jcmd "$APP_PID" GC.run >/dev/null; sleep 1; jcmd "$APP_PID" GC.run >/dev/null
used_kib() { jstat -gc "$APP_PID" | awk 'NR==2 {print int($3+$4+$6+$8)}'; }
BASE=$(used_kib)
UPTIME_START=$(awk -F'[][s]' '/Pause/ {t=$2} END {print t+0}' "$WORK/gc.log")

echo "== streaming ${SIZE_MIB} MiB (baseline heap after full GC: $((BASE / 1024)) MiB)"
jstat -gc "$APP_PID" 100 > "$WORK/jstat.log" &
JSTAT=$!
START=$(date +%s.%N)
STATUS=$(curl -s -o "$WORK/response.json" -w '%{http_code}' -H "$AUTH" -H 'Content-Type: video/mp4' -T "$WORK/big.mp4" -X POST "$URL/2/source")
END=$(date +%s.%N)
kill "$JSTAT"
PEAK=$(awk 'NR>1 && $1 ~ /^[0-9.]+$/ {u=$3+$4+$6+$8; if (u>m) m=u} END {print int(m)}' "$WORK/jstat.log")
LIVE_MAX=$(awk -v s="$UPTIME_START" -F'[][s]' '/Pause/ && $2+0 > s { if (match($0, /->([0-9]+)M/, a) && a[1] > m) m = a[1] } END {print m+0}' "$WORK/gc.log")
SECONDS_TAKEN=$(echo "$END - $START" | bc)

echo "HTTP $STATUS: $(head -c 300 "$WORK/response.json")"
echo
echo "upload size            : ${SIZE_MIB} MiB"
echo "heap cap               : -Xmx$HEAP"
echo "duration               : ${SECONDS_TAKEN} s ($(echo "$SIZE_MIB / $SECONDS_TAKEN" | bc) MiB/s)"
echo "baseline heap (post-GC): $((BASE / 1024)) MiB"
echo "max live heap after GC : ${LIVE_MAX} MiB during the upload (growth $((LIVE_MAX - BASE / 1024)) MiB)"
echo "peak heap used (jstat) : $((PEAK / 1024)) MiB (growth $(((PEAK - BASE) / 1024)) MiB, garbage included)"
echo "GC pauses during upload: $(awk -v s="$UPTIME_START" -F'[][s]' '/Pause/ && $2+0 > s' "$WORK/gc.log" | wc -l)"
[ "$STATUS" = 201 ]
