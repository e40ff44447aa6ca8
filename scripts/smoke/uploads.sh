#!/usr/bin/env bash
# Runs the curl examples of docs/uploads.md against the packaged app: streamed (raw and multipart form), direct with
# a simulated disconnect and resume, abort, and the 413/411 body limits. Needs PostgreSQL, an S3 endpoint
# (S3_ENDPOINT), ffmpeg, curl, jq, openssl, xxd; builds the app if needed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export S3_ENDPOINT=${S3_ENDPOINT:-http://127.0.0.1:9199} S3_BUCKET=${SMOKE_BUCKET:-microdrama-bench}
export DB_NAME=${SMOKE_DB_NAME:-microdrama_bench} JWT_PUBLIC_KEY_LOCATION=deploy/dev-keys/jwt-public.pem
export HTTP_PORT=${SMOKE_PORT:-18082}
if command -v psql >/dev/null; then
  psql -h "${DB_HOST:-127.0.0.1}" -U "${DB_USER:-postgres}" -tAc "select 1 from pg_database where datname='$DB_NAME'" postgres \
    | grep -q 1 || createdb -h "${DB_HOST:-127.0.0.1}" -U "${DB_USER:-postgres}" "$DB_NAME"
fi
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
LOG=$(mktemp /tmp/uploads-smoke-app.XXXXXX.log)
java -Xmx256m -jar target/quarkus-app/quarkus-run.jar > "$LOG" 2>&1 &
APP=$!
trap 'kill $APP' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
NOW=$(date +%s)
H=$(printf '{"alg":"RS256","typ":"JWT"}' | b64); P=$(printf '{"iss":"https://microdrama.local","sub":"doc","upn":"doc","groups":["producer"],"iat":%d,"exp":%d}' $NOW $((NOW+3600)) | b64)
TOKEN="$H.$P.$(printf '%s.%s' "$H" "$P" | openssl dgst -sha256 -sign deploy/dev-keys/jwt-private.pem | b64)"
API=http://127.0.0.1:$HTTP_PORT
SERIES=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "{\"slug\":\"doc-$NOW\",\"title\":\"Doc\",\"language\":\"en\"}" $API/api/v1/producer/series | jq -r .id)
cd $(mktemp -d)
ffmpeg -v error -y -f lavfi -i testsrc=s=180x320:r=25:d=2 -c:v libx264 -preset ultrafast episode-1.mp4
cp episode-1.mp4 episode-2.mp4; PAD=$((9*1048576)); { printf "%08x" $PAD | xxd -r -p; printf free; head -c $((PAD-8)) /dev/zero; } >> episode-2.mp4
echo "== raw"
curl -sS -X POST -T episode-1.mp4 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: video/mp4' \
  "$API/api/v1/producer/series/$SERIES/episodes/1/source?sha256=$(sha256sum episode-1.mp4 | cut -d' ' -f1)" | jq -c '{versionNumber, versionState}'
echo "== form"
curl -sS -H "Authorization: Bearer $TOKEN" -F file=@episode-1.mp4\;type=video/mp4 \
  "$API/api/v1/producer/series/$SERIES/episodes/1/source" | jq -c '{versionNumber, versionState}'
echo "== direct"
FILE=episode-2.mp4
UPLOAD=$(curl -sS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"seriesId\":\"$SERIES\",\"episodeNumber\":2,\"size\":$(stat -c %s $FILE),\"contentType\":\"video/mp4\",
       \"sha256\":\"$(sha256sum $FILE | cut -d' ' -f1)\"}" \
  "$API/api/v1/producer/uploads")
ID=$(echo "$UPLOAD" | jq -r .id)
PART_SIZE=$(echo "$UPLOAD" | jq -r .partSize)
split -b "$PART_SIZE" -d -a 5 "$FILE" part.
# simulate a disconnect: only the first part
echo "$UPLOAD" | jq -r '.partUrls[] | "\(.number) \(.url)"' | head -1 | while read -r N URL; do
  curl -sS -f -T "part.$(printf %05d $((N - 1)))" "$URL" -o /dev/null
done
RESUME=$(curl -sS -H "Authorization: Bearer $TOKEN" "$API/api/v1/producer/uploads/$ID")
echo "$RESUME" | jq -c '{state, missingParts}'
echo "$RESUME" | jq -r '.partUrls[] | "\(.number) \(.url)"' | while read -r N URL; do
  curl -sS -f -T "part.$(printf %05d $((N - 1)))" "$URL" -o /dev/null
done
curl -sS -X POST -H "Authorization: Bearer $TOKEN" "$API/api/v1/producer/uploads/$ID/complete" | jq -c '{episodeNumber, versionNumber, versionState, size}'
echo "== direct abort"
ID2=$(curl -sS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "{\"seriesId\":\"$SERIES\",\"episodeNumber\":3,\"size\":100,\"contentType\":\"video/mp4\"}" "$API/api/v1/producer/uploads" | jq -r .id)
curl -sS -o /dev/null -w '%{http_code}\n' -X DELETE -H "Authorization: Bearer $TOKEN" "$API/api/v1/producer/uploads/$ID2"
echo "== 413 by content-length, chunked json 411"
head -c 100 /dev/zero | curl -sS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: video/mp4' -H 'Content-Length: 5000000000' --data-binary @- "$API/api/v1/producer/series/$SERIES/episodes/4/source" -w ' %{http_code}\n' || true
echo '{}' | curl -sS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @- "$API/api/v1/producer/series" -w ' %{http_code}\n'
