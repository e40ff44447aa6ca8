# The viewer hot paths, sourced by playback.sh (which has sourced lib.sh): playback start of an unlocked paid and of
# a free episode, and the signed-in episode list of a 100-episode series, each against nginx serving a static file
# of the answer's size on the same core in the same run; then the same with Redis unreachable. Sets hot_status
# (1 when a target is missed).
#   HOT_SERIES (20) series of 100 episodes (3 free, 5 coins each), HOT_VIEWERS (200) viewers, each with 20
#   unlocked episodes in each of two series. Requests rotate over every (viewer, episode) or (viewer, series) pair.
#   ANSWERS_DIR: where to keep the answers to a fixed sample of requests (tokens and expiry times blanked), to
#   compare two builds byte for byte. PROFILE_DIR: where to write async-profiler's collapsed stacks of one peak
#   run of each path (needs ASYNC_PROFILER_LIB, the libasyncProfiler.so from the Maven Central jar).
HOT_SERIES=${HOT_SERIES:-20}
HOT_VIEWERS=${HOT_VIEWERS:-200}
HOT_CONNECTIONS=${HOT_CONNECTIONS:-32}
HOT_NGINX_PORT=$((PORT + 2))
AUTOCANNON_VERSION=8.0.0
hot_status=0

echo "== hot paths: app on a fresh database, $HOT_SERIES series x 100 episodes, $HOT_VIEWERS viewers"
start_app
taskset -a -cp 0 "$app_pid" >/dev/null
"${PSQL[@]}" -d "$DB" -q <<SQL
insert into series (id, slug, title, language, status, free_episode_count, coin_price, producer_id, published_at)
  select gen_random_uuid(), 'hot-' || s, 'Hot ' || s, 'en', 'published', 3, 5, 'bench-producer', now()
  from generate_series(1, $HOT_SERIES) s;
insert into episode (id, series_id, number, title, duration_ms, state, published, published_at)
  select gen_random_uuid(), s.id, n, 'Episode ' || n, 60000 + n, 'ready', true, now()
  from series s, generate_series(1, 100) n where s.slug like 'hot-%';
insert into episode_version (id, episode_id, version_number, source_key, source_size, state, hls_prefix,
                             encryption_key, duration_ms, ready_at)
  select gen_random_uuid(), e.id, 1, 'raw/x', 1, 'ready', 'hls/x/', decode('00112233445566778899aabbccddeeff', 'hex'),
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
# path<TAB>token lines: each viewer's unlocked paid episodes, free episodes of series they have not paid for, and
# the lists of the series they have unlocked in (some unlocked, most locked).
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
done
echo "requests: $(wc -l <"$BENCH/hot-paid.tsv") paid starts, $(wc -l <"$BENCH/hot-free.tsv") free starts, $(wc -l <"$BENCH/hot-list.tsv") lists"

# The answer to request LINE of a list, with what changes from one request to the next blanked (playback tokens,
# their expiry), so that two builds' answers can be compared byte for byte.
hot_answer() { # kind line
  local path token
  IFS=$'\t' read -r path token < <(sed -n "$2p" "$BENCH/hot-$1.tsv")
  curl -sSf -D "$BENCH/headers" -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path" \
    | sed -E 's/token=[A-Za-z0-9_.-]+/token=T/g; s/"expiresAt":"[^"]+"/"expiresAt":"E"/g'
  echo
  grep -iE '^(content-type|content-language|vary|cache-control|etag):' "$BENCH/headers" | tr -d '\r' | sort
}
hot_keep_answers() { # label
  local dir=$BENCH/answers-$1 kind line
  mkdir -p "$dir"
  for kind in paid free list; do
    for line in 1 2 3 17 101; do hot_answer "$kind" "$line" >"$dir/$kind-$line"; done
  done
  [ -z "${ANSWERS_DIR:-}" ] || { mkdir -p "$ANSWERS_DIR/$1"; cp "$dir"/* "$ANSWERS_DIR/$1/"; }
}
# The first answers of a cold JVM on a busy machine can take longer than the request deadline: a few tries.
for _ in 1 2 3 4 5; do
  hot_answer list 2 >/dev/null 2>&1 && hot_answer paid 2 >/dev/null 2>&1 && hot_answer free 2 >/dev/null 2>&1 && break
  sleep 2
done
answer=$(hot_answer paid 1)
[[ $answer == *'"access":"unlocked"'* ]] || { echo "an unlocked paid episode does not play: $answer" >&2; exit 1; }
answer=$(hot_answer free 1)
[[ $answer == *'"access":"free"'* ]] || { echo "a free episode does not play: $answer" >&2; exit 1; }
answer=$(hot_answer list 1)
[[ $answer == *'"lock":"unlocked"'* ]] || { echo "the list shows no unlocked episode: $answer" >&2; exit 1; }
# A locked paid episode must never play: 402, whatever is cached.
locked_path=$("${PSQL[@]}" -d "$DB" -tAc "select '/api/v1/episodes/' || e.id || '/playback' from episode e
  join series s on s.id = e.series_id where s.slug = 'hot-1' and e.number = 50")
hot_locked_check() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(sed -n 1p "$BENCH/hot-tokens.tsv" | cut -f2)" \
    "http://127.0.0.1:$PORT$locked_path")
  [ "$code" = 402 ] || { echo "a locked paid episode answered $code" >&2; exit 1; }
}
hot_locked_check

echo "== nginx serving static files of the answers' sizes"
mkdir -p "$BENCH/hot-static"
chmod o+rx "$BENCH" "$BENCH/hot-static"
hot_size() { # kind
  local path token
  IFS=$'\t' read -r path token < <(sed -n 1p "$BENCH/hot-$1.tsv")
  curl -sSf -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path"
}
python3 -c 'import sys; sys.stdout.write("x" * int(sys.argv[1]))' "$(hot_size paid)" >"$BENCH/hot-static/start.json"
python3 -c 'import sys; sys.stdout.write("x" * int(sys.argv[1]))' "$(hot_size list)" >"$BENCH/hot-static/list.json"
start_bytes=$(stat -c %s "$BENCH/hot-static/start.json")
list_bytes=$(stat -c %s "$BENCH/hot-static/list.json")
chmod o+r "$BENCH/hot-static"/*
printf '/start.json\t\n' >"$BENCH/hot-static-start.tsv"
printf '/list.json\t\n' >"$BENCH/hot-static-list.tsv"
cat >"$BENCH/hot-nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $BENCH/hot-nginx.pid;
error_log $BENCH/hot-nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; }
  server {
    listen 127.0.0.1:$HOT_NGINX_PORT;
    root $BENCH/hot-static;
  }
}
EOF
setsid taskset -c 0 nginx -c "$BENCH/hot-nginx.conf" </dev/null >"$BENCH/hot-nginx.log" 2>&1 &
hot_nginx_pid=$!
BENCH_CLEANUP+=("kill $hot_nginx_pid")
sleep 1
cmp -s <(curl -sf "http://127.0.0.1:$HOT_NGINX_PORT/list.json") "$BENCH/hot-static/list.json" \
  || { echo "nginx does not serve the static answer" >&2; exit 1; }

if [ -z "${AUTOCANNON_HOME:-}" ]; then
  npm install --silent --no-audit --no-fund --prefix "$BENCH/node" "autocannon@$AUTOCANNON_VERSION" >/dev/null
  export AUTOCANNON_HOME=$BENCH/node/node_modules
fi

# Requests/s of one wrk run pinned to CPU 1 over the requests in FILE (any non-2xx or socket error fails the run).
hot_peak() { # port file [seconds]
  REQUESTS=$2 taskset -c 1 wrk -t1 -c"$HOT_CONNECTIONS" -d"${3:-$RUN_SECONDS}s" -s scripts/bench/rotating.lua \
    "http://127.0.0.1:$1" >"$BENCH/wrk.out"
  if grep -qE "Non-2xx|Socket errors" "$BENCH/wrk.out"; then
    cat "$BENCH/wrk.out" >&2; echo "errors from $2" >&2; exit 1
  fi
  awk '/Requests\/sec/ {print $2}' "$BENCH/wrk.out"
}
# "median min max" of numbers.
hot_median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)], v[1], v[NR]}'; }
# A warm-up, then three runs: "median min max" req/s.
hot_peaks() { # port file
  local runs=() i
  hot_peak "$1" "$2" >/dev/null
  for i in 1 2 3; do runs+=("$(hot_peak "$1" "$2")"); done
  hot_median "${runs[@]}"
}
# p99 (ms) at a constant RATE over three runs: "median min max" of the p99s, and the achieved req/s of the median.
hot_half() { # rate file
  local p99s=() out rps non2xx errors i
  for i in 1 2 3; do
    read -r rps p99 non2xx errors <<<"$(taskset -c 1 node scripts/bench/rotating-load.mjs "http://127.0.0.1:$PORT" \
      "$2" "$1" 50 "$RUN_SECONDS")"
    [ "$non2xx" = 0 ] && [ "$errors" = 0 ] || { echo "$non2xx non-2xx answers, $errors errors at $1 req/s ($2)" >&2; exit 1; }
    p99s+=("$p99")
  done
  echo "$(hot_median "${p99s[@]}") $rps"
}
hot_profile() { # name file
  [ -n "${PROFILE_DIR:-}" ] || return 0
  mkdir -p "$PROFILE_DIR"
  jcmd "$app_pid" JVMTI.agent_load "$ASYNC_PROFILER_LIB" "start,event=itimer,interval=1ms" >/dev/null || true
  hot_peak "$PORT" "$2" >/dev/null
  jcmd "$app_pid" JVMTI.agent_load "$ASYNC_PROFILER_LIB" "stop,file=$PROFILE_DIR/$1.collapsed,collapsed" >/dev/null || true
}

echo "== peaks (warm-up, then three runs of ${RUN_SECONDS} s each)"
read -r ng_start ng_start_lo ng_start_hi <<<"$(hot_peaks "$HOT_NGINX_PORT" "$BENCH/hot-static-start.tsv")"
read -r ng_list ng_list_lo ng_list_hi <<<"$(hot_peaks "$HOT_NGINX_PORT" "$BENCH/hot-static-list.tsv")"
read -r paid paid_lo paid_hi <<<"$(hot_peaks "$PORT" "$BENCH/hot-paid.tsv")"
read -r free free_lo free_hi <<<"$(hot_peaks "$PORT" "$BENCH/hot-free.tsv")"
read -r list list_lo list_hi <<<"$(hot_peaks "$PORT" "$BENCH/hot-list.tsv")"
hot_locked_check
hot_keep_answers redis
hot_profile paid "$BENCH/hot-paid.tsv"
hot_profile free "$BENCH/hot-free.tsv"
hot_profile list "$BENCH/hot-list.tsv"

echo "== p99 at half of each peak, constant rate (autocannon, coordinated omission corrected)"
half() { echo "$1 / 2" | bc; }
read -r paid_p99 paid_p99_lo paid_p99_hi paid_half <<<"$(hot_half "$(half "$paid")" "$BENCH/hot-paid.tsv")"
read -r free_p99 free_p99_lo free_p99_hi free_half <<<"$(hot_half "$(half "$free")" "$BENCH/hot-free.tsv")"
read -r list_p99 list_p99_lo list_p99_hi list_half <<<"$(hot_half "$(half "$list")" "$BENCH/hot-list.tsv")"

echo "== Redis unreachable"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
KEEP_DATABASE=1 start_app QUARKUS_REDIS_HOSTS=redis://127.0.0.1:1
taskset -a -cp 0 "$app_pid" >/dev/null
hot_locked_check
read -r nr_paid nr_paid_lo nr_paid_hi <<<"$(hot_peaks "$PORT" "$BENCH/hot-paid.tsv")"
read -r nr_list nr_list_lo nr_list_hi <<<"$(hot_peaks "$PORT" "$BENCH/hot-list.tsv")"
hot_locked_check
hot_keep_answers no-redis
diff -r "$BENCH/answers-redis" "$BENCH/answers-no-redis" >&2 \
  || { echo "answers differ with Redis unreachable" >&2; exit 1; }

ratio() { echo "scale=3; $1 / $2" | bc | sed 's/^\./0./'; }
r_paid=$(ratio "$paid" "$ng_start"); r_free=$(ratio "$free" "$ng_start"); r_list=$(ratio "$list" "$ng_list")
r_nr_paid=$(ratio "$nr_paid" "$paid"); r_nr_list=$(ratio "$nr_list" "$list")
v_paid=$(verdict "$r_paid" ">=" 0.1); v_free=$(verdict "$r_free" ">=" 0.1); v_list=$(verdict "$r_list" ">=" 0.1)
v_paid_p99=$(verdict "$paid_p99" "<=" 20); v_free_p99=$(verdict "$free_p99" "<=" 20)
v_list_p99=$(verdict "$list_p99" "<=" 20)
v_nr_paid=$(verdict "$r_nr_paid" ">=" 0.5); v_nr_list=$(verdict "$r_nr_list" ">=" 0.5)
v_free_vs_paid=$(verdict "$free" ">=" "$paid * 0.9")
for v in "$v_paid" "$v_free" "$v_list" "$v_paid_p99" "$v_free_p99" "$v_list_p99" "$v_nr_paid" "$v_nr_list" "$v_free_vs_paid"; do
  [[ $v == MISSES* ]] && hot_status=1
done
report=$(cat <<EOF
## Viewer hot paths vs nginx ($(date -u +%Y-%m-%d), $(nproc) cores; server on CPU 0, load on CPU 1)

$HOT_SERIES series of 100 episodes (3 free, 5 coins each), $HOT_VIEWERS viewers each with 20 episodes unlocked in
two series; every request is another (viewer, episode) or (viewer, series) pair of $(wc -l <"$BENCH/hot-paid.tsv")
paid starts, $(wc -l <"$BENCH/hot-free.tsv") free starts, $(wc -l <"$BENCH/hot-list.tsv") lists. nginx serves a
static file of the answer's size ($start_bytes and $list_bytes bytes) on the same core. Peaks: wrk, 1 thread,
$HOT_CONNECTIONS connections, a warm-up then three runs of ${RUN_SECONDS} s: median (min–max). p99 at half load:
autocannon at a constant rate of half the median peak (coordinated omission corrected), 50 connections, three runs
of ${RUN_SECONDS} s: median (min–max). Other people's builds ran at low priority on the same 2 cores.

| measure | req/s median (min–max) | ÷ nginx | p99 at half load, ms |
| --- | --- | --- | --- |
| nginx, ${start_bytes} B file | $ng_start ($ng_start_lo–$ng_start_hi) | | |
| nginx, ${list_bytes} B file | $ng_list ($ng_list_lo–$ng_list_hi) | | |
| playback start, unlocked paid (entitlement from Redis) | $paid ($paid_lo–$paid_hi) | **$r_paid** ($v_paid) | **$paid_p99** ($paid_p99_lo–$paid_p99_hi) at $paid_half req/s ($v_paid_p99) |
| playback start, free | $free ($free_lo–$free_hi) | **$r_free** ($v_free; free ÷ paid $(ratio "$free" "$paid")) | **$free_p99** ($free_p99_lo–$free_p99_hi) at $free_half req/s ($v_free_p99) |
| episode list, signed in, 100 episodes | $list ($list_lo–$list_hi) | **$r_list** ($v_list) | **$list_p99** ($list_p99_lo–$list_p99_hi) at $list_half req/s ($v_list_p99) |
| playback start, unlocked paid, Redis unreachable | $nr_paid ($nr_paid_lo–$nr_paid_hi) | ÷ cached **$r_nr_paid** ($v_nr_paid) | |
| episode list, Redis unreachable | $nr_list ($nr_list_lo–$nr_list_hi) | ÷ cached **$r_nr_list** ($v_nr_list) | |

With Redis unreachable the sampled answers were the same as with Redis, and a locked paid episode answered 402
before and after every measurement. Reproduce: \`flock /work/notes/bench.lock scripts/bench/playback.sh ${RUN_SECONDS} hot\`.
EOF
)
echo "$report"
write_report playback-hot "$report"
