#!/usr/bin/env bash
# The signed-in feed page under load: many distinct viewers (each with a continue-watching history) asking for
# their first page of 10 items, against a catalogue of 500 trending series. Targets: >= 5,000 req/s on one core
# (the server pinned to CPU 0, wrk to CPU 1) and p99 <= 20 ms at half of the measured peak.
# Three runs of each (RUNS=…), median and spread. Figures are printed and written to docs/benchmarks.md; the exit
# status is 1 when a target is missed.
#   scripts/bench/feed.sh [SECONDS_PER_RUN=10] [VIEWERS=500]
set -euo pipefail
RUN_SECONDS=${1:-10}
VIEWERS=${2:-500}
RUNS=${RUNS:-3}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v wrk >/dev/null || { echo "install wrk: sudo apt-get install -y wrk" >&2; exit 1; }

echo "== $(date -u +%H:%M:%S) app, catalogue of 500 series x 5 episodes, $VIEWERS viewers with history"
start_app
taskset -a -cp 0 "$app_pid" >/dev/null
"${PSQL[@]}" -d "$DB" -q <<SQL
insert into series (id, slug, title, synopsis, language, genres, status, free_episode_count, coin_price, producer_id,
                    published_at, trend_log)
  select gen_random_uuid(), 'bench-feed-' || n, 'Series ' || n, 'A bench series', case when n % 5 = 0 then 'es' else 'en' end,
         array[(array['romance','revenge','ceo','fantasy'])[n % 4 + 1]]::varchar[], 'published', 3, 20, 'bench-producer',
         now(), random() * 50
  from generate_series(1, 500) n;
insert into episode (id, series_id, number, title, state, published, published_at, duration_ms)
  select gen_random_uuid(), s.id, n, 'E' || n, 'ready', true, now(), 90000 from series s, generate_series(1, 5) n;
insert into episode_version (id, episode_id, version_number, source_key, source_size, state, hls_prefix, encryption_key, ready_at)
  select gen_random_uuid(), id, 1, 'raw/x', 1, 'ready', 'hls/x/', decode('00112233445566778899aabbccddeeff', 'hex'), now()
  from episode;
update episode e set current_version_id = v.id from episode_version v where v.episode_id = e.id;
-- Each viewer is in the middle of two series and has finished episode 1 of a third.
insert into watch_progress (viewer_id, episode_id, position_ms, completed, updated_at)
  select 'bench-feed-v' || v, e.id, case when k = 3 then 90000 else 30000 end, k = 3, now() - k * interval '1 minute'
  from generate_series(1, $VIEWERS) v, generate_series(1, 3) k
  join lateral (select e.id from episode e join series s on s.id = e.series_id
                where s.slug = 'bench-feed-' || ((v * 7 + k * 13) % 500 + 1) and e.number = case when k = 3 then 1 else 2 end) e on true;
analyze;
SQL
{
  echo "tokens = {"
  for n in $(seq 1 "$VIEWERS"); do echo "\"$(scripts/mint-token.sh viewer "bench-feed-v$n")\","; done
  echo "}"
  cat <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/feed?limit=10&language=en",
    {["Authorization"] = "Bearer " .. tokens[counter % #tokens + 1]})
end
LUA
} >"$BENCH/feed.lua"
feed_url="http://127.0.0.1:$PORT/api/v1/feed?limit=10&language=en"
sample=$(curl -sf -H "Authorization: Bearer $(scripts/mint-token.sh viewer bench-feed-v1)" "$feed_url")
items=$(echo "$sample" | grep -o '"reason"' | wc -l)
playable=$(echo "$sample" | grep -o '"masterUrl"' | wc -l)
[ "$items" = 10 ] || { echo "the feed page has $items items, not 10: $sample" >&2; exit 1; }

# The app's CPU time so far, in clock ticks (all its threads: event loops, GC, JIT).
app_ticks() { awk '{print $14 + $15}' "/proc/$app_pid/stat"; }
# CPU microseconds per answer over the last wrk run, given the ticks before it: what one page costs the server
# whatever else shares the machine (1e6 / this = pages per second of one whole core).
cpu_per_answer() { # ticks_before
  local answers
  answers=$(awk '/requests in/ {print $1}' "$BENCH/wrk.out")
  echo "scale=0; ($(app_ticks) - $1) * 1000000 / $(getconf CLK_TCK) / $answers" | bc
}

# "median spread" of the given numbers (spread: highest minus lowest).
median_spread() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {printf "%s %s\n", v[int((NR+1)/2)], v[NR]-v[1]}'; }

echo "== $(date -u +%H:%M:%S) warm-up, then the peak, $RUNS runs"
# The warm-up only warms (JIT, the catalogue copies, the token memory): its answers are counted, not judged, since
# a cold JVM on a busy machine can pass the request deadline (503). Every measured run below fails on any error.
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${RUN_SECONDS}s" -s "$BENCH/feed.lua" "$feed_url" >"$BENCH/warm.out"
echo "   warm-up: $(awk '/Requests\/sec/ {print $2}' "$BENCH/warm.out") req/s, $(awk '/Non-2xx/ {print $NF}' "$BENCH/warm.out") non-2xx"
peaks=(); peak_p99s=(); cpus=()
for run in $(seq 1 "$RUNS"); do
  before=$(app_ticks)
  read -r rps p99 <<<"$(load "$feed_url" -s "$BENCH/feed.lua")"
  cpu=$(cpu_per_answer "$before")
  echo "   run $run: $rps req/s, p99 $p99 ms, $cpu µs of server CPU per page"
  peaks+=("$rps"); peak_p99s+=("$p99"); cpus+=("$cpu")
done
load_average=$(cut -d' ' -f1-3 /proc/loadavg)
read -r peak_rps peak_spread <<<"$(median_spread "${peaks[@]}")"
read -r peak_p99 _ <<<"$(median_spread "${peak_p99s[@]}")"
echo "== $(date -u +%H:%M:%S) half of the peak, $RUNS runs"
halves=(); half_p99s=()
for run in $(seq 1 "$RUNS"); do
  read -r half_connections rps p99 <<<"$(half_load "$peak_rps" "$feed_url" "$BENCH/feed.lua")"
  echo "   run $run: $half_connections connections, $rps req/s, p99 $p99 ms"
  halves+=("$rps"); half_p99s+=("$p99")
done
read -r half_rps _ <<<"$(median_spread "${halves[@]}")"
read -r half_p99 half_p99_spread <<<"$(median_spread "${half_p99s[@]}")"
echo "== $(date -u +%H:%M:%S) reference in the same run: one series' episode list for a signed-in viewer (JWT, Redis entitlement)"
list_url="http://127.0.0.1:$PORT/api/v1/series/bench-feed-1/episodes"
list_token=$(scripts/mint-token.sh viewer bench-feed-v1)
load "$list_url" -H "Authorization: Bearer $list_token" >/dev/null
before=$(app_ticks)
read -r list_rps list_p99 <<<"$(load "$list_url" -H "Authorization: Bearer $list_token")"
list_cpu=$(cpu_per_answer "$before")
read -r feed_cpu feed_cpu_spread <<<"$(median_spread "${cpus[@]}")"
ratio=$(echo "scale=3; $peak_rps / $list_rps" | bc)

report=$(cat <<EOF
## Feed: signed-in first page ($(date -u +%Y-%m-%d), $(nproc) cores; server on CPU 0, wrk on CPU 1)

$VIEWERS distinct viewers in turn (each watching two series and done with a third), 500 trending series of 5
episodes; a page of 10 items ($playable with a tokenised master URL). wrk: 1 thread, $CONNECTIONS connections,
${RUN_SECONDS} s per run, ${RUNS} runs each, after a warm-up. Load average during the peak run: ${load_average} (anything near the
number of cores means other work shared CPU 0, and only the ratio to the reference is comparable).

| measure | value |
| --- | --- |
| **peak**, median of ${RUNS} (spread) | **${peak_rps} req/s** ($(verdict "$peak_rps" ">=" 5000)) (${peak_spread}; runs: ${peaks[*]}), p99 ${peak_p99} ms |
| at half the peak (${half_connections} connections, ${PACE_MS} ms apart each), median | ${half_rps} req/s |
| **p99 at half load**, median of ${RUNS} (spread) | **${half_p99} ms** ($(verdict "$half_p99" "<=" 20)) (${half_p99_spread}; runs: ${half_p99s[*]}) |
| reference: a series' episode list, signed in, peak | ${list_rps} req/s, p99 ${list_p99} ms |
| feed page ÷ episode list | ${ratio} |
| server CPU per feed page, median of ${RUNS} (spread) | ${feed_cpu} µs (${feed_cpu_spread}; runs: ${cpus[*]}) → $(echo "1000000 / $feed_cpu" | bc) pages per CPU-second |
| server CPU per episode list (reference) | ${list_cpu} µs → $(echo "1000000 / $list_cpu" | bc) per CPU-second |

Reproduce: \`scripts/bench/feed.sh ${RUN_SECONDS} ${VIEWERS}\`.
EOF
)
echo "$report"
write_report feed "$report"
[ "$(echo "$peak_rps >= 5000 && $half_p99 <= 20" | bc)" = 1 ] || { echo "the feed misses its target" >&2; exit 1; }
