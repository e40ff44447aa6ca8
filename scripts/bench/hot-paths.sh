#!/usr/bin/env bash
# The viewer hot paths (issue 15): playback start of an unlocked paid and of a free episode, and the signed-in
# episode list of a 100-episode series, over many viewers and series, each against nginx serving a static file of
# the answer's size on the same core in the same run; then the same with Redis unreachable.
# Targets (full mode; the script exits 1 when one is missed): each path >= 0.1 of nginx and p99 <= 20 ms at half
# its peak (constant rate); a free start no slower than a paid one (>= 0.9 of its rate, the noise between runs);
# with Redis unreachable >= 0.5 of the cached rate, the sampled answers byte for byte the same, and a locked paid
# episode answering 402 before and after every measurement.
# The app is pinned to CPU 0 and the load to CPU 1, the same for nginx. Peaks: wrk over scripts/bench/rotating.lua;
# half load: RateLoad.java --requests, next to its own p99 against nginx at the same rate. Every request is another (viewer, episode) or (viewer, series) pair.
#   scripts/bench/hot-paths.sh [--quick] [SECONDS_PER_RUN=10]
# HOT_SERIES (20; quick 3) series of 100 episodes (3 free, 5 coins each), HOT_VIEWERS (200; quick 12) viewers, each
# with episodes 4..23 unlocked in two series.
# ANSWERS_DIR: where to keep the answers to a fixed sample of requests (tokens and expiry times blanked), to compare
# two builds (BENCH_APP) byte for byte. PROFILE_DIR: where to write async-profiler's collapsed stacks of one peak run
# of each path (needs ASYNC_PROFILER_LIB, the libasyncProfiler.so from the Maven Central jar).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set -- "${BENCH_ARGS[@]}"
RUN_SECONDS=${1:-$RUN_SECONDS}
# Two app starts take most of a quick run on a busy machine: C1 only, which starts the app faster.
[ -z "$QUICK" ] || BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--XX:TieredStopAtLevel=1}
HOT_SERIES=${HOT_SERIES:-$(pick 20 3)}
HOT_VIEWERS=${HOT_VIEWERS:-$(pick 200 12)}
need_tool wrk wrk

echo "== app on a fresh database, $HOT_SERIES series x 100 episodes, $HOT_VIEWERS viewers"
# As deploy/ runs the pods that serve viewers: no transcode workers, no analytics rollup on their event loop.
start_app APP_ROLE=api
pin_app
# Ids derived from names, not random: two builds' runs then ask the same requests and their answers compare.
"${PSQL[@]}" -d "$DB" -q <<SQL
insert into series (id, slug, title, language, status, free_episode_count, coin_price, producer_id, published_at)
  select md5('hot-' || s)::uuid, 'hot-' || s, 'Hot ' || s, 'en', 'published', 3, 5, 'bench-producer', timestamptz '2026-01-01'
  from generate_series(1, $HOT_SERIES) s;
insert into episode (id, series_id, number, title, duration_ms, state, published, published_at)
  select md5(s.slug || '-' || n)::uuid, s.id, n, 'Episode ' || n, 60000 + n, 'ready', true, timestamptz '2026-01-01'
  from series s, generate_series(1, 100) n where s.slug like 'hot-%';
insert into episode_version (id, episode_id, version_number, source_key, source_size, state, hls_prefix,
                             encryption_key, duration_ms, ready_at)
  select md5('version-' || e.id)::uuid, e.id, 1, 'raw/x', 1, 'ready', 'hls/x/', decode('00112233445566778899aabbccddeeff', 'hex'),
         e.duration_ms, now()
  from episode e join series s on s.id = e.series_id where s.slug like 'hot-%';
update episode e set current_version_id = v.id from episode_version v where v.episode_id = e.id;
insert into wallet (viewer_id, paid_coins) select 'hot-v' || v, 0 from generate_series(1, $HOT_VIEWERS) v;
-- Viewer v has episodes 4..23 of series v mod S and (v + 1) mod S unlocked.
insert into unlock (viewer_id, episode_id, method, series_id, episode_number)
  select 'hot-v' || v, e.id, 'grant', e.series_id, e.number
  from generate_series(1, $HOT_VIEWERS) v
  join series s on s.slug in ('hot-' || (v % $HOT_SERIES + 1), 'hot-' || ((v + 1) % $HOT_SERIES + 1))
  join episode e on e.series_id = s.id and e.number between 4 and 23;
SQL
seq 1 "$HOT_VIEWERS" | xargs -P 4 -I{} sh -c 'printf "hot-v%s\t%s\n" {} "$(scripts/mint-token.sh viewer hot-v{} 3600)"' \
  | LC_ALL=C sort >"$BENCH/hot-tokens.tsv"
[ "$(wc -l <"$BENCH/hot-tokens.tsv")" = "$HOT_VIEWERS" ] || die "could not mint the viewers' tokens"
# path<TAB>token lines: each viewer's unlocked paid episodes, free episodes of a series they have not paid for, and
# the lists of the series they have unlocked in (some episodes unlocked, most locked).
"${PSQL[@]}" -d "$DB" -tA -F$'\t' -c "
  select '/api/v1/episodes/' || u.episode_id || '/playback', u.viewer_id from unlock u
  where u.viewer_id like 'hot-v%' order by u.episode_number, u.viewer_id, u.series_id" >"$BENCH/hot-paid.ids"
"${PSQL[@]}" -d "$DB" -tA -F$'\t' -c "
  select '/api/v1/episodes/' || e.id || '/playback', 'hot-v' || v from generate_series(1, $HOT_VIEWERS) v
  join series s on s.slug = 'hot-' || ((v + 7) % $HOT_SERIES + 1) join episode e on e.series_id = s.id and e.number <= 3
  order by e.number, v" >"$BENCH/hot-free.ids"
"${PSQL[@]}" -d "$DB" -tA -F$'\t' -c "
  select distinct '/api/v1/series/' || u.series_id || '/episodes', u.viewer_id from unlock u
  where u.viewer_id like 'hot-v%' order by 2, 1" >"$BENCH/hot-list.ids"
for kind in paid free list; do
  LC_ALL=C join -1 2 -2 1 -t$'\t' -o 1.1,2.2 <(LC_ALL=C sort -t$'\t' -k2,2 "$BENCH/hot-$kind.ids") "$BENCH/hot-tokens.tsv" \
    | shuf --random-source=<(yes) >"$BENCH/hot-$kind.tsv"
  [ -s "$BENCH/hot-$kind.tsv" ] || die "no $kind requests"
done
paid_n=$(wc -l <"$BENCH/hot-paid.tsv"); free_n=$(wc -l <"$BENCH/hot-free.tsv"); list_n=$(wc -l <"$BENCH/hot-list.tsv")
echo "requests: $paid_n paid starts, $free_n free starts, $list_n lists"

# The answer to request LINE of a list, with what changes from one request to the next blanked (playback tokens,
# their expiry), so that two builds' answers, or the answers with and without Redis, can be compared byte for byte.
hot_answer() { # kind line
  local path token
  IFS=$'\t' read -r path token < <(sed -n "$2p" "$BENCH/hot-$1.tsv")
  curl -sSf -D "$BENCH/headers" -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path" \
    | sed -E 's/token=[A-Za-z0-9_.-]+/token=T/g; s/"expiresAt":"[^"]+"/"expiresAt":"E"/g' || return 1
  echo
  grep -iE '^(content-type|content-language|vary|cache-control|etag):' "$BENCH/headers" | tr -d '\r' | sort
}
hot_keep_answers() { # label
  local dir=$BENCH/answers-$1 kind line
  mkdir -p "$dir"
  for kind in paid free list; do
    for line in 1 2 3 17 101; do
      [ "$line" -le "$(wc -l <"$BENCH/hot-$kind.tsv")" ] || continue
      hot_answer "$kind" "$line" >"$dir/$kind-$line" || die "no answer to $kind request $line"
    done
  done
  [ -z "${ANSWERS_DIR:-}" ] || { mkdir -p "$ANSWERS_DIR/$1"; cp "$dir"/* "$ANSWERS_DIR/$1/"; }
}
# Entitlement lookups the app has made so far: its cache's hit and miss counters (Prometheus text on /q/metrics).
entitlement_lookups() {
  curl -sf "http://127.0.0.1:$PORT/q/metrics" | awk '/^entitlement_cache_total/ { s += $2 } END { printf "%d", s }'
}
# A locked paid episode must never play: 402, whatever is cached.
locked_path=$("${PSQL[@]}" -d "$DB" -tAc "select '/api/v1/episodes/' || e.id || '/playback' from episode e
  join series s on s.id = e.series_id where s.slug = 'hot-1' and e.number = 50")
hot_locked_check() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(sed -n 1p "$BENCH/hot-tokens.tsv" | cut -f2)" \
    "http://127.0.0.1:$PORT$locked_path")
  [ "$code" = 402 ] || die "a locked paid episode answered $code"
}
hot_check_answers() {
  local answer
  answer=$(hot_answer paid 1) && [[ $answer == *'"access":"unlocked"'* ]] || die "an unlocked paid episode does not play: $answer"
  answer=$(hot_answer free 1) && [[ $answer == *'"access":"free"'* ]] || die "a free episode does not play: $answer"
  answer=$(hot_answer list 1) && [[ $answer == *'"lock":"unlocked"'* ]] || die "the list shows no unlocked episode: $answer"
  hot_locked_check
}
hot_check_answers

echo "== nginx serving static files of the answers' sizes"
mkdir -p "$BENCH/static"
hot_size() { # kind
  local path token
  IFS=$'\t' read -r path token < <(sed -n 1p "$BENCH/hot-$1.tsv")
  curl -sSf -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path"
}
head -c "$(hot_size paid)" /dev/zero | tr '\0' x >"$BENCH/static/start.json"
head -c "$(hot_size list)" /dev/zero | tr '\0' x >"$BENCH/static/list.json"
start_bytes=$(stat -c %s "$BENCH/static/start.json")
list_bytes=$(stat -c %s "$BENCH/static/list.json")
start_nginx "$BENCH/static"
cmp -s <(curl -sf "$NGINX_URL/list.json") "$BENCH/static/list.json" \
  || die "nginx does not serve the static answer"

# The peak over the (path, token) pairs in FILE, in turn: lib.sh's peak with rotating.lua.
hot_peak() { # file
  REQUESTS=$1 peak "http://127.0.0.1:$PORT" -s "$BENCH_DIR/rotating.lua"
}
# With PROFILE_DIR: the app's CPU stacks and CPU per answer over one more peak run and one constant-rate run at half
# the peak (lib.sh's profile_run), for the path in FILE.
hot_profile() { # name file peak_rps
  REQUESTS=$2 profile_run "$1-peak" load "http://127.0.0.1:$PORT" -s "$BENCH_DIR/rotating.lua"
  profile_run "$1-half" rate_load "$(echo "$3 / 2" | bc)" "$RUN_SECONDS" "http://127.0.0.1:$PORT" --requests "$2"
}

echo "== peaks ($RUNS runs each, after a warm-up)"
read -r ng_start ng_start_p99 ng_start_spread <<<"$(peak "$NGINX_URL/start.json")"
read -r ng_list ng_list_p99 ng_list_spread <<<"$(peak "$NGINX_URL/list.json")"
read -r redis_cpu0 redis_commands0 <<<"$(redis_usage)"
lookups0=$(entitlement_lookups)
read -r paid paid_peak_p99 paid_spread <<<"$(hot_peak "$BENCH/hot-paid.tsv")"
read -r redis_cpu1 redis_commands1 <<<"$(redis_usage)"
# Redis's CPU per entitlement lookup (one per paid start; lookups made together share an MGET) over the paid starts'
# peak runs: the figure the capacity model sizes Redis by.
[ "$redis_commands1" -gt "$redis_commands0" ] || die "Redis processed no command during the paid starts"
redis_lookups=$(( $(entitlement_lookups) - lookups0 ))
redis_commands=$((redis_commands1 - redis_commands0))
redis_us=$(echo "scale=2; ($redis_cpu1 - $redis_cpu0) * 1000000 / $redis_commands" | bc | sed 's/^\./0./')
redis_us_lookup=$(echo "scale=2; ($redis_cpu1 - $redis_cpu0) * 1000000 / $redis_lookups" | bc | sed 's/^\./0./')
lookups_per_command=$(echo "scale=1; $redis_lookups / $redis_commands" | bc | sed 's/^\./0./')
read -r free free_peak_p99 free_spread <<<"$(hot_peak "$BENCH/hot-free.tsv")"
read -r list list_peak_p99 list_spread <<<"$(hot_peak "$BENCH/hot-list.tsv")"
hot_locked_check
hot_keep_answers redis
hot_profile paid "$BENCH/hot-paid.tsv" "$paid"
hot_profile free "$BENCH/hot-free.tsv" "$free"
hot_profile list "$BENCH/hot-list.tsv" "$list"

echo "== p99 at half of each peak, at a constant rate"
read -r paid_rate paid_half paid_p99 paid_p99_spread \
  <<<"$(half_load "$paid" "http://127.0.0.1:$PORT" --requests "$BENCH/hot-paid.tsv")"
read -r free_rate free_half free_p99 free_p99_spread \
  <<<"$(half_load "$free" "http://127.0.0.1:$PORT" --requests "$BENCH/hot-free.tsv")"
read -r list_rate list_half list_p99 list_p99_spread \
  <<<"$(half_load "$list" "http://127.0.0.1:$PORT" --requests "$BENCH/hot-list.tsv")"
hot_locked_check
paid_floor=$(rate_floor "$paid_rate" start.json)
free_floor=$(rate_floor "$free_rate" start.json)
list_floor=$(rate_floor "$list_rate" list.json)

echo "== Redis unreachable"
stop_app
KEEP_DATABASE=1 start_app APP_ROLE=api QUARKUS_REDIS_HOSTS=redis://127.0.0.1:1
pin_app
hot_check_answers
read -r nr_paid nr_paid_p99 nr_paid_spread <<<"$(hot_peak "$BENCH/hot-paid.tsv")"
read -r nr_list nr_list_p99 nr_list_spread <<<"$(hot_peak "$BENCH/hot-list.tsv")"
hot_locked_check
hot_keep_answers no-redis
diff -r "$BENCH/answers-redis" "$BENCH/answers-no-redis" >&2 || die "the answers differ with Redis unreachable"

ratio() { # a b
  [ "$(echo "$2 > 0" | bc)" = 1 ] || die "no requests answered in a run (a figure of 0 req/s)"
  echo "scale=3; $1 / $2" | bc | sed 's/^\./0./'
}
r_paid=$(ratio "$paid" "$ng_start"); r_free=$(ratio "$free" "$ng_start"); r_list=$(ratio "$list" "$ng_list")
r_free_paid=$(ratio "$free" "$paid")
r_nr_paid=$(ratio "$nr_paid" "$paid"); r_nr_list=$(ratio "$nr_list" "$list")
report=$(cat <<EOF
## Viewer hot paths vs nginx ($(date -u +%Y-%m-%d), $(nproc) cores; server on CPU 0, load on CPU 1)

$HOT_SERIES series of 100 episodes (3 free, 5 coins each), $HOT_VIEWERS viewers each with 20 episodes unlocked in
two series; every request is another (viewer, episode) or (viewer, series) pair of $paid_n paid starts, $free_n
free starts, $list_n lists. nginx serves a static file of the answer's size ($start_bytes and $list_bytes bytes) on
the same core. Peaks: wrk, 1 thread, $CONNECTIONS connections, $RUNS runs of ${RUN_SECONDS} s, each after a
${WARMUP_SECONDS} s warm-up: median (± the spread, max − min over the mean). p99 at half load: RateLoad.java at a
constant rate of half the median peak (each request timed from when it was due), the pairs in turn, $CONNECTIONS
connections, $RUNS runs of ${RUN_SECONDS} s after ${RATE_WARMUP_SECONDS} s at the rate: median (± spread); next to it
the generator's own p99 at the same rate against nginx serving the file of the answer's size (one run). Machine: $(machine_note).

| measure | req/s, peak | ÷ reference | p99 at half load | generator vs nginx, same rate |
| --- | --- | --- | --- | --- |
| nginx, ${start_bytes} B file | $ng_start (± $ng_start_spread %) | reference of the starts | – | – |
| nginx, ${list_bytes} B file | $ng_list (± $ng_list_spread %) | reference of the list | – | – |
| playback start, unlocked paid (entitlement from Redis) | $paid (± $paid_spread %) | ÷ nginx **$r_paid** ($(verdict "$r_paid" ">=" 0.1)) | **$paid_p99 ms** (± $paid_p99_spread %) at $paid_half of $paid_rate req/s asked ($(verdict "$paid_p99" "<=" 20)) | p99 $paid_floor ms |
| playback start, free | $free (± $free_spread %) | ÷ nginx **$r_free** ($(verdict "$r_free" ">=" 0.1)); ÷ paid $r_free_paid ($(verdict "$r_free_paid" ">=" 0.9)) | **$free_p99 ms** (± $free_p99_spread %) at $free_half of $free_rate req/s asked ($(verdict "$free_p99" "<=" 20)) | p99 $free_floor ms |
| episode list, signed in, 100 episodes | $list (± $list_spread %) | ÷ nginx **$r_list** ($(verdict "$r_list" ">=" 0.1)) | **$list_p99 ms** (± $list_p99_spread %) at $list_half of $list_rate req/s asked ($(verdict "$list_p99" "<=" 20)) | p99 $list_floor ms |
| playback start, unlocked paid, Redis unreachable | $nr_paid (± $nr_paid_spread %) | ÷ cached **$r_nr_paid** ($(verdict "$r_nr_paid" ">=" 0.5)) | – | – |
| episode list, Redis unreachable | $nr_list (± $nr_list_spread %) | ÷ cached **$r_nr_list** ($(verdict "$r_nr_list" ">=" 0.5)) | – | – |

Redis, over the paid starts' peak runs (each start one lookup of the viewer's VIP expiry and unlock bitmap; lookups
made together share one \`MGET\`): **${redis_us_lookup} µs of Redis CPU per lookup** (${redis_lookups} lookups in
${redis_commands} commands, ${lookups_per_command} a command; ${redis_us} µs per command; the server's user + system
CPU from \`INFO\`, the lookups from the app's \`entitlement_cache_total\`).

With Redis unreachable the sampled answers were byte for byte those with Redis, and a locked paid episode answered
402 before and after every measurement. Reproduce: \`flock /work/notes/bench.lock scripts/bench/hot-paths.sh ${RUN_SECONDS}\`.
EOF
)
echo "$report"
write_report playback-hot "$report"
