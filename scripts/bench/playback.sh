#!/usr/bin/env bash
# Playback benchmarks with wrk, each against a reference in the same run:
#   1. the media-playlist endpoint (valid playback token) ÷ nginx serving the same playlist bytes as a static
#      file: requests/s (target >= 0.5), and the endpoint's p99 at half of its own peak (target <= 20 ms).
#   2. the playback endpoint, free and unlocked-paid (JWT + entitlement from Redis): requests/s and p99.
#   3. coin unlocks per second (200 viewers x 50 episodes), with the money checked afterwards, and PostgreSQL's
#      CPU per unlock (its backends' CPU time over the run).
#   4. the episode list for a signed-in viewer with Redis, then with Redis unreachable (the fallback's cost).
# The viewer hot paths over many viewers and series, against their targets (issue 15), are hot-paths.sh's; 2 and 4
# here measure one viewer and one key.
# The server under test is pinned to CPU 0 and wrk to CPU 1, the same for the app and for nginx.
# Figures are printed and written to docs/benchmarks.md.
# Peaks: the median of RUNS wrk runs, each after a warm-up; half load: a constant rate (RateLoad.java).
#   scripts/bench/playback.sh [--quick] [SECONDS_PER_RUN=10]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set -- "${BENCH_ARGS[@]}"
RUN_SECONDS=${1:-$RUN_SECONDS}
need_tool wrk wrk

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

echo "== app with one transcoded episode"
start_app
pin_app
make_source "$BENCH/source.mp4" "$(pick 60 6)" 540x960 light
read -r series episode version <<<"$(queue_source "$BENCH/source.mp4")"
wait_job "$version"

# A playback token exactly as the app issues them (HMAC-SHA256 over viewer|episode|version|expiry).
payload=$(printf 'bench-viewer|%s|%s|%s' "$episode" "$version" $(( $(date +%s) + 3600 )) | b64url)
token="$payload.$(printf '%s' "$payload" | openssl dgst -sha256 -hmac "$PLAYBACK_SECRET" -binary | b64url)"
playlist_url="http://127.0.0.1:$PORT/api/v1/playback/$version/540p/index.m3u8?token=$token"
mkdir -p "$BENCH/static"
curl -sf "$playlist_url" >"$BENCH/static/index.m3u8"
lines=$(wc -l <"$BENCH/static/index.m3u8")

echo "== nginx serving the same bytes"
start_nginx "$BENCH/static"
static_url="$NGINX_URL/index.m3u8"
cmp -s <(curl -sf "$static_url") "$BENCH/static/index.m3u8" || die "nginx does not serve the playlist"

echo "== peaks ($RUNS runs each, after a warm-up)"
read -r app_rps app_p99_peak app_spread <<<"$(peak "$playlist_url")"
read -r nginx_rps nginx_p99 nginx_spread <<<"$(peak "$static_url")"

echo "== the endpoint at half of its peak, at a constant rate"
read -r half_rate half_rps half_p99 half_spread <<<"$(half_load "$app_rps" "$playlist_url")"
half_floor=$(rate_floor "$half_rate" index.m3u8)

ratio=$(echo "scale=3; $app_rps / $nginx_rps" | bc)
report=$(cat <<EOF
## Playback: media playlist vs nginx ($(date -u +%Y-%m-%d), $(nproc) cores; server on CPU 0, wrk on CPU 1)

The 540p media playlist of a 60 s episode ($lines lines), with a valid playback token, against nginx serving the
same bytes as a static file. wrk: 1 thread, $CONNECTIONS connections, ${RUN_SECONDS} s per run, each after a
${WARMUP_SECONDS} s warm-up, median of $RUNS runs (± the spread, max − min over the mean). Half load: RateLoad.java at a
constant rate (each request timed from when it was due), $RUNS runs after ${RATE_WARMUP_SECONDS} s at the rate, next
to the generator's own p99 against nginx serving the same bytes at the same rate. Machine: $(machine_note).

| measure | value |
| --- | --- |
| app, peak | ${app_rps} req/s (± ${app_spread} %; p99 ${app_p99_peak} ms) |
| nginx static file, peak | ${nginx_rps} req/s (± ${nginx_spread} %; p99 ${nginx_p99} ms) |
| **ratio: app ÷ nginx** | **${ratio}** ($(verdict "$ratio" ">=" 0.5)) |
| app at half its peak (constant ${half_rate} req/s asked) | ${half_rps} req/s |
| **p99 at half load** | **${half_p99} ms** (± ${half_spread} %; $(verdict "$half_p99" "<=" 20)) |
| the generator's own p99 at that rate, against nginx | ${half_floor} ms |

Reproduce: \`scripts/bench/playback.sh ${RUN_SECONDS}\`.
EOF
)
echo "$report"
write_report playback-playlist "$report"

echo "== playback starts (JWT + entitlement)"
publish_episode "$series" 1
viewer=$(scripts/mint-token.sh viewer bench-viewer)
read -r start_rps start_p99 start_spread <<<"$(peak "http://127.0.0.1:$PORT/api/v1/episodes/$episode/playback" -H "Authorization: Bearer $viewer")"

echo "== coin unlocks: 200 viewers x 50 episodes"
paid_series=$(curl -sf -X POST "localhost:$PORT/api/v1/producer/series" -H "Authorization: Bearer $(producer_token)" \
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
# One measured run, no warm-up: each unlock spends coins, and the money check below counts every one.
pg_before=$(backends_cpu)
read -r unlock_rps _ <<<"$(load "http://127.0.0.1:$PORT" -c16 -s "$BENCH/unlock.lua")"
pg_after=$(backends_cpu)
money_check="select (select count(*) from unlock where viewer_id like 'bench-v%'),
  (select count(*) from ledger where viewer_id like 'bench-v%' and reason = 'unlock'),
  (select count(*) from wallet w where viewer_id like 'bench-v%' and paid_coins + bonus_coins <>
     (select coalesce(sum(paid_delta + bonus_delta), 0) from ledger l where l.viewer_id = w.viewer_id)),
  (select count(*) from wallet where paid_coins < 0 or bonus_coins < 0)"
read -r unlocks ledger_rows mismatched negative < <("${PSQL[@]}" -d "$DB" -tA -F' ' -c "$money_check")
[ "$unlocks" = "$ledger_rows" ] && [ "$mismatched" = 0 ] && [ "$negative" = 0 ] \
  || die "the money does not add up after the unlocks: $unlocks unlocks, $ledger_rows ledger rows, $mismatched wallets off, $negative negative"
[ "$unlocks" -gt 0 ] || die "no unlock was made"
# PostgreSQL's CPU per unlock: the app's backends' CPU time over the run, which made nothing but the unlocks counted.
pg_unlock_ms=$(echo "scale=3; ($pg_after - $pg_before) * 1000 / $TICKS / $unlocks" | bc | sed 's/^\./0./')

echo "== playback start of an unlocked paid episode (entitlement from Redis)"
read -r paid_viewer paid_episode < <("${PSQL[@]}" -d "$DB" -tA -F' ' -c \
  "select viewer_id, episode_id from unlock where viewer_id like 'bench-v%' order by viewer_id, episode_id limit 1")
paid_token=$(scripts/mint-token.sh viewer "$paid_viewer")
paid_url="http://127.0.0.1:$PORT/api/v1/episodes/$paid_episode/playback"
curl -sf -H "Authorization: Bearer $paid_token" "$paid_url" | grep -q '"access":"unlocked"' \
  || die "the unlocked episode does not play"
read -r paid_start_rps paid_start_p99 paid_start_spread <<<"$(peak "$paid_url" -H "Authorization: Bearer $paid_token")"

echo "== episode list with Redis, then without"
list_url="http://127.0.0.1:$PORT/api/v1/series/$paid_series/episodes"
list_token=$(scripts/mint-token.sh viewer bench-v1)
read -r list_rps list_p99 list_spread <<<"$(peak "$list_url" -H "Authorization: Bearer $list_token")"
stop_app
KEEP_DATABASE=1 start_app QUARKUS_REDIS_HOSTS=redis://127.0.0.1:1
pin_app
read -r nolist_rps nolist_p99 nolist_spread <<<"$(peak "$list_url" -H "Authorization: Bearer $list_token")"
fallback=$(echo "scale=3; $nolist_rps / $list_rps" | bc)

report=$(cat <<EOF
## Playback, paywall and lists ($(date -u +%Y-%m-%d), $(nproc) cores; server on CPU 0, wrk on CPU 1)

Peaks: the median of $RUNS wrk runs of ${RUN_SECONDS} s, each after a ${WARMUP_SECONDS} s warm-up (± the spread of the
rate, max − min over the mean); unlocks: one run. Machine: $(machine_note).

| measure | value |
| --- | --- |
| playback start, free episode (JWT + token), peak | ${start_rps} req/s (± ${start_spread} %), p99 ${start_p99} ms |
| playback start, unlocked paid episode (JWT + entitlement from Redis + token), peak | ${paid_start_rps} req/s (± ${paid_start_spread} %), p99 ${paid_start_p99} ms |
| coin unlocks (16 connections, 200 viewers × 50 episodes) | ${unlock_rps} req/s |
| after the run: unlock rows / unlock ledger rows | ${unlocks} / ${ledger_rows} |
| **PostgreSQL CPU per coin unlock** (the app's backends over the run, ${unlocks} unlocks) | **${pg_unlock_ms} ms** |
| after the run: wallets whose balance ≠ ledger sum / negative balances | ${mismatched} / ${negative} |
| episode list (signed-in viewer), Redis up | ${list_rps} req/s (± ${list_spread} %), p99 ${list_p99} ms |
| episode list, Redis unreachable (PostgreSQL fallback) | ${nolist_rps} req/s (± ${nolist_spread} %), p99 ${nolist_p99} ms |
| **fallback ÷ cached** | **${fallback}** |

Reproduce: \`scripts/bench/playback.sh ${RUN_SECONDS}\`.
EOF
)
echo "$report"
write_report playback-paywall "$report"
