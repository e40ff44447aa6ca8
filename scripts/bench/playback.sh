#!/usr/bin/env bash
# Playback benchmarks with wrk, each against a reference in the same run:
#   1. the media-playlist endpoint (valid playback token) ÷ nginx serving the same playlist bytes as a static
#      file: requests/s (target >= 0.5), and the endpoint's p99 at half of its own peak (target <= 20 ms).
#   2. the playback endpoint, free and unlocked-paid (JWT + entitlement from Redis): requests/s and p99.
#   3. coin unlocks per second (200 viewers x 50 episodes), with the money checked afterwards.
#   4. the viewer hot paths (section "hot", playback-hot.sh): playback start of unlocked paid and of free episodes,
#      and the signed-in list of a 100-episode series, over many viewers and series, each against nginx serving a
#      static file of the answer's size; peaks (three runs, median and spread), p99 at half the peak at a constant
#      rate, then the same with Redis unreachable. Exits non-zero when a target is missed.
# The server under test is pinned to CPU 0 and the load to CPU 1, the same for the app and for nginx.
# Figures are printed and written to docs/benchmarks.md.
#   scripts/bench/playback.sh [SECONDS_PER_RUN=10] [all|hot]
set -euo pipefail
RUN_SECONDS=${1:-10}
MODE=${2:-all}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NGINX_PORT=$((PORT + 1))

for tool in wrk nginx; do
  if ! command -v $tool >/dev/null && ! [ -x /usr/sbin/$tool ]; then
    [ "$(id -u)" = 0 ] || { echo "install $tool: sudo apt-get install -y wrk nginx-light" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$([ $tool = nginx ] && echo nginx-light || echo wrk)" >/dev/null
  fi
done

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

if [ "$MODE" = hot ]; then
  source "$(dirname "${BASH_SOURCE[0]}")/playback-hot.sh"
  exit "$hot_status"
fi

echo "== app with one transcoded episode"
start_app
taskset -a -cp 0 "$app_pid" >/dev/null
ffmpeg -v error -y -f lavfi -i testsrc2=size=540x960:rate=30:duration=60 -f lavfi -i sine=duration=60 \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$BENCH/source.mp4"
read -r series episode version <<<"$(queue_source "$BENCH/source.mp4")"
wait_job "$version"

# A playback token exactly as the app issues them (HMAC-SHA256 over viewer|episode|version|expiry).
payload=$(printf 'bench-viewer|%s|%s|%s' "$episode" "$version" $(( $(date +%s) + 3600 )) | b64url)
token="$payload.$(printf '%s' "$payload" | openssl dgst -sha256 -hmac bench-only-playback-secret-0123456789abcdef -binary | b64url)"
playlist_url="http://127.0.0.1:$PORT/api/v1/playback/$version/540p/index.m3u8?token=$token"
mkdir -p "$BENCH/static"
chmod o+rx "$BENCH" "$BENCH/static"  # nginx workers run unprivileged
curl -sf "$playlist_url" >"$BENCH/static/index.m3u8"
lines=$(wc -l <"$BENCH/static/index.m3u8")

echo "== nginx serving the same bytes"
cat >"$BENCH/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $BENCH/nginx.pid;
error_log $BENCH/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/vnd.apple.mpegurl m3u8; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $BENCH/static;
  }
}
EOF
setsid taskset -c 0 nginx -c "$BENCH/nginx.conf" </dev/null >"$BENCH/nginx.log" 2>&1 &
nginx_pid=$!
BENCH_CLEANUP+=("kill $nginx_pid")
sleep 1
static_url="http://127.0.0.1:$NGINX_PORT/index.m3u8"
cmp -s <(curl -sf "$static_url") "$BENCH/static/index.m3u8" || { echo "nginx does not serve the playlist" >&2; exit 1; }

echo "== warm-up, then peaks"
load "$playlist_url" >/dev/null
read -r app_rps app_p99_peak <<<"$(load "$playlist_url")"
read -r nginx_rps nginx_p99 <<<"$(load "$static_url")"

echo "== the endpoint at half of its peak"
read -r half_connections half_rps half_p99 <<<"$(half_load "$app_rps" "$playlist_url")"

ratio=$(echo "scale=3; $app_rps / $nginx_rps" | bc)
report=$(cat <<EOF
## Playback: media playlist vs nginx ($(date -u +%Y-%m-%d), $(nproc) cores; server on CPU 0, wrk on CPU 1)

The 540p media playlist of a 60 s episode ($lines lines), with a valid playback token, against nginx serving the
same bytes as a static file. wrk: 1 thread, $CONNECTIONS connections, ${RUN_SECONDS} s per run, after a warm-up.

| measure | value |
| --- | --- |
| app, peak | ${app_rps} req/s (p99 ${app_p99_peak} ms) |
| nginx static file, peak | ${nginx_rps} req/s (p99 ${nginx_p99} ms) |
| **ratio: app ÷ nginx** | **${ratio}** ($(verdict "$ratio" ">=" 0.5)) |
| app at half its peak (${half_connections} connections, ${PACE_MS} ms apart each) | ${half_rps} req/s |
| **p99 at half load** | **${half_p99} ms** ($(verdict "$half_p99" "<=" 20)) |

Reproduce: \`scripts/bench/playback.sh ${RUN_SECONDS}\`.
EOF
)
echo "$report"
write_report playback-playlist "$report"

producer=$(scripts/mint-token.sh producer bench-producer)
echo "== coin unlocks: 200 viewers x 50 episodes"
paid_series=$(curl -sf -X POST "localhost:$PORT/api/v1/producer/series" -H "Authorization: Bearer $(scripts/mint-token.sh producer bench-producer)" \
  -H 'Content-Type: application/json' -d '{"slug":"bench-paid","title":"Paid","language":"en","freeEpisodeCount":0,"coinPrice":1}' | json_field id)
"${PSQL[@]}" -d "$DB" -q <<SQL
update series set status = 'published', published_at = now() where id = '$paid_series';
insert into episode (id, series_id, number, title, state, published, published_at)
  select gen_random_uuid(), '$paid_series', n, 'E' || n, 'ready', true, now() from generate_series(1, 50) n;
insert into episode_version (id, episode_id, version_number, source_key, source_size, state, hls_prefix, encryption_key, ready_at)
  select gen_random_uuid(), id, 1, 'raw/x', 1, 'ready', 'hls/x/', decode('00112233445566778899aabbccddeeff', 'hex'), now()
  from episode where series_id = '$paid_series';
update episode e set current_version_id = v.id from episode_version v where v.episode_id = e.id and e.series_id = '$paid_series';
insert into wallet (viewer_id, paid_coins) select 'bench-v' || n, 100 from generate_series(1, 200) n;
insert into ledger (viewer_id, paid_delta, bonus_delta, reason, reference)
  select 'bench-v' || n, 100, 0, 'topup', 'bench-' || n from generate_series(1, 200) n;
SQL
{
  echo "tokens = {"
  for n in $(seq 1 200); do echo "\"$(scripts/mint-token.sh viewer "bench-v$n")\","; done
  echo "}"
  echo "episodes = {"
  "${PSQL[@]}" -d "$DB" -tAc "select '\"' || id || '\",' from episode where series_id = '$paid_series' order by number"
  echo "}"
  cat <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local v = math.floor((counter - 1) / 50) % 200 + 1
  local e = (counter - 1) % 50 + 1
  return wrk.format("POST", "/api/v1/episodes/" .. episodes[e] .. "/unlock",
    {["Authorization"] = "Bearer " .. tokens[v], ["Idempotency-Key"] = "bench-" .. counter})
end
LUA
} >"$BENCH/unlock.lua"
taskset -c 1 wrk -t1 -c16 -d"${RUN_SECONDS}s" -s "$BENCH/unlock.lua" "http://127.0.0.1:$PORT" >"$BENCH/wrk.out"
unlock_rps=$(awk '/Requests\/sec/ {print $2}' "$BENCH/wrk.out")
money_check="select (select count(*) from unlock where viewer_id like 'bench-v%'),
  (select count(*) from ledger where viewer_id like 'bench-v%' and reason = 'unlock'),
  (select count(*) from wallet w where viewer_id like 'bench-v%' and paid_coins + bonus_coins <>
     (select coalesce(sum(paid_delta + bonus_delta), 0) from ledger l where l.viewer_id = w.viewer_id)),
  (select count(*) from wallet where paid_coins < 0 or bonus_coins < 0)"
read -r unlocks ledger_rows mismatched negative < <("${PSQL[@]}" -d "$DB" -tA -F' ' -c "$money_check")

report=$(cat <<EOF
## Paywall: coin unlocks ($(date -u +%Y-%m-%d), $(nproc) cores; server on CPU 0, wrk on CPU 1)

| measure | value |
| --- | --- |
| coin unlocks (16 connections, 200 viewers × 50 episodes) | ${unlock_rps} req/s |
| after the run: unlock rows / unlock ledger rows | ${unlocks} / ${ledger_rows} |
| after the run: wallets whose balance ≠ ledger sum / negative balances | ${mismatched} / ${negative} |

The viewer hot paths (playback start, episode lists, Redis unreachable) are in the section below.
Reproduce: \`scripts/bench/playback.sh ${RUN_SECONDS}\`.
EOF
)
echo "$report"
write_report playback-paywall "$report"

kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
app_pid=
source "$(dirname "${BASH_SOURCE[0]}")/playback-hot.sh"
exit "$hot_status"
