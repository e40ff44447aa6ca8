#!/usr/bin/env bash
# Playback benchmarks with wrk, each against a reference in the same run:
#   1. the media-playlist endpoint (valid playback token) ÷ nginx serving the same playlist bytes as a static
#      file: requests/s (target >= 0.5), and the endpoint's p99 at half of its own peak (target <= 20 ms).
#   2. the playback endpoint, free and unlocked-paid (JWT + entitlement from Redis): requests/s and p99.
#   3. coin unlocks per second (200 viewers x 50 episodes), with the money checked afterwards.
#   4. the episode list for a signed-in viewer with Redis, then with Redis unreachable (the fallback's cost).
# The server under test is pinned to CPU 0 and wrk to CPU 1, the same for the app and for nginx.
# Figures are printed and written to docs/benchmarks.md.
#   scripts/bench/playback.sh [SECONDS_PER_RUN=10]
set -euo pipefail
RUN_SECONDS=${1:-10}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NGINX_PORT=$((PORT + 1))

for tool in wrk nginx; do
  if ! command -v $tool >/dev/null && ! [ -x /usr/sbin/$tool ]; then
    [ "$(id -u)" = 0 ] || { echo "install $tool: sudo apt-get install -y wrk nginx-light" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$([ $tool = nginx ] && echo nginx-light || echo wrk)" >/dev/null
  fi
done

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

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

echo "== playback starts (JWT + entitlement)"
producer=$(scripts/mint-token.sh producer bench-producer)
curl -sf -X POST "localhost:$PORT/api/v1/producer/series/$series/publish" -H "Authorization: Bearer $producer" >/dev/null
curl -sf -X POST "localhost:$PORT/api/v1/producer/series/$series/episodes/1/publish" -H "Authorization: Bearer $producer" >/dev/null
viewer=$(scripts/mint-token.sh viewer bench-viewer)
read -r start_rps start_p99 <<<"$(load "http://127.0.0.1:$PORT/api/v1/episodes/$episode/playback" -H "Authorization: Bearer $viewer")"

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

echo "== playback start of an unlocked paid episode (entitlement from Redis)"
read -r paid_viewer paid_episode < <("${PSQL[@]}" -d "$DB" -tA -F' ' -c \
  "select viewer_id, episode_id from unlock where viewer_id like 'bench-v%' order by viewer_id, episode_id limit 1")
paid_token=$(scripts/mint-token.sh viewer "$paid_viewer")
paid_url="http://127.0.0.1:$PORT/api/v1/episodes/$paid_episode/playback"
curl -sf -H "Authorization: Bearer $paid_token" "$paid_url" | grep -q '"access":"unlocked"' \
  || { echo "the unlocked episode does not play" >&2; exit 1; }
read -r paid_start_rps paid_start_p99 <<<"$(load "$paid_url" -H "Authorization: Bearer $paid_token")"

echo "== episode list with Redis, then without"
list_url="http://127.0.0.1:$PORT/api/v1/series/$paid_series/episodes"
list_token=$(scripts/mint-token.sh viewer bench-v1)
load "$list_url" -H "Authorization: Bearer $list_token" >/dev/null
read -r list_rps list_p99 <<<"$(load "$list_url" -H "Authorization: Bearer $list_token")"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
KEEP_DATABASE=1 start_app QUARKUS_REDIS_HOSTS=redis://127.0.0.1:1
taskset -a -cp 0 "$app_pid" >/dev/null
load "$list_url" -H "Authorization: Bearer $list_token" >/dev/null
read -r nolist_rps nolist_p99 <<<"$(load "$list_url" -H "Authorization: Bearer $list_token")"
fallback=$(echo "scale=3; $nolist_rps / $list_rps" | bc)

report=$(cat <<EOF
## Playback, paywall and lists ($(date -u +%Y-%m-%d), $(nproc) cores; server on CPU 0, wrk on CPU 1)

| measure | value |
| --- | --- |
| playback start, free episode (JWT + token), peak | ${start_rps} req/s, p99 ${start_p99} ms |
| playback start, unlocked paid episode (JWT + entitlement from Redis + token), peak | ${paid_start_rps} req/s, p99 ${paid_start_p99} ms |
| coin unlocks (16 connections, 200 viewers × 50 episodes) | ${unlock_rps} req/s |
| after the run: unlock rows / unlock ledger rows | ${unlocks} / ${ledger_rows} |
| after the run: wallets whose balance ≠ ledger sum / negative balances | ${mismatched} / ${negative} |
| episode list (signed-in viewer), Redis up | ${list_rps} req/s, p99 ${list_p99} ms |
| episode list, Redis unreachable (PostgreSQL fallback) | ${nolist_rps} req/s, p99 ${nolist_p99} ms |
| **fallback ÷ cached** | **${fallback}** |

Reproduce: \`scripts/bench/playback.sh ${RUN_SECONDS}\`.
EOF
)
echo "$report"
write_report playback-paywall "$report"
