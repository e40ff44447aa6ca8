#!/usr/bin/env bash
# Localisation benchmarks (issue 12), on one generated 1080x1920 phone-like episode:
#   1. CPU-seconds (user+sys) of adding a dub ÷ CPU-seconds of the episode's video ladder  (target <= 0.05)
#      Both are the app's own ffmpeg commands (taken from its log) re-run on local copies under /usr/bin/time,
#      as scripts/bench/ladder.sh does for the ladder; each once as a warm-up, then RUNS (3) times: the median.
#   2. a subtitle upload to a playable master: wall time from the PUT to having fetched, as a player would, the
#      playback answer, the master listing the new language, its subtitle playlist and first segment (target <= 2 s
#      for the worst of SUBTITLE_RUNS, after one warm-up upload)
# Figures are printed and written to docs/benchmarks.md (between the localisation markers).
#   scripts/bench/localisation.sh [--quick] [SECONDS=20] [SUBTITLE_RUNS=10]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set -- "${BENCH_ARGS[@]}"
SECONDS_OF_VIDEO=${1:-$(pick 20 4)}
SUBTITLE_RUNS=${2:-$(pick 10 2)}
SIZE=$(pick 1080x1920 360x640)

echo "== generating a ${SECONDS_OF_VIDEO} s $SIZE phone-like source and its dub"
make_source "$BENCH/source.mp4" "$SECONDS_OF_VIDEO" "$SIZE" "$(pick phone light)"
ffmpeg -v error -y -f lavfi -i "sine=frequency=880:duration=$SECONDS_OF_VIDEO" -c:a aac -b:a 128k "$BENCH/dub.m4a"

echo "== starting the app (worker included) on :$PORT"
start_app
producer=$(producer_token)
viewer=$(scripts/mint-token.sh viewer bench-viewer)
read -r series episode version <<<"$(queue_source "$BENCH/source.mp4" "bench-l10n-$RANDOM")"
wait_job "$version"
publish_episode "$series" 1

echo "== a dub through the app (an audio-only job in the queue)"
curl -sf -X PUT -T "$BENCH/dub.m4a" -H "Authorization: Bearer $producer" -H 'Content-Type: audio/mp4' \
  "localhost:$PORT/api/v1/producer/series/$series/episodes/1/audio/es" >/dev/null || die "the dub upload was refused"
wait_job "$version" dub

# CPU of the app's bare commands re-run on local copies, each after a warm-up run of the same command; RUNS runs.
echo "== CPU of the bare commands: the ladder, then the dub ($RUNS runs each, after a warm-up)"
ladder_cpus=() dub_cpus=() ratios=()
rerun_app_ffmpeg ladder "-var_stream_map" "$BENCH/source.mp4" >/dev/null
rerun_app_ffmpeg dub "apad=whole_dur" "$BENCH/dub.m4a" >/dev/null
for _ in $(seq 1 "$RUNS"); do
  read -r _ ladder_cpu <<<"$(rerun_app_ffmpeg ladder "-var_stream_map" "$BENCH/source.mp4")"
  read -r _ dub_cpu <<<"$(rerun_app_ffmpeg dub "apad=whole_dur" "$BENCH/dub.m4a")"
  ladder_cpus+=("$ladder_cpu"); dub_cpus+=("$dub_cpu"); ratios+=("$(echo "scale=4; $dub_cpu / $ladder_cpu" | bc)")
done
ladder_cpu=$(median "${ladder_cpus[@]}"); dub_cpu=$(median "${dub_cpus[@]}"); ratio=$(median "${ratios[@]}")

echo "== subtitle upload -> playable master, $SUBTITLE_RUNS runs (the first a warm-up)"
python3 - "$SECONDS_OF_VIDEO" >"$BENCH/subs.vtt" <<'PY'
import sys
n = int(float(sys.argv[1]))
print("WEBVTT\n")
for s in range(n - 1):
    print("00:00:%02d.100 --> 00:00:%02d.900\nLine %d of the episode\n" % (s, s, s) if s < 60 else "")
PY
times=()
for run in $(seq 0 "$SUBTITLE_RUNS"); do
  lang=$(printf 'fr\nde\nit\nja\nko\nth\nvi\nid\ntr\npl\nnl\n' | sed -n "$(( run % 11 + 1 ))p")
  t0=$(date +%s.%N)
  curl -sf -X PUT --data-binary @"$BENCH/subs.vtt" -H "Authorization: Bearer $producer" -H 'Content-Type: text/vtt' \
    "localhost:$PORT/api/v1/producer/series/$series/episodes/1/subtitles/$lang" >/dev/null
  master_url=$(curl -sf -H "Authorization: Bearer $viewer" "localhost:$PORT/api/v1/episodes/$episode/playback?subtitles=$lang" \
    | sed -n 's/.*"masterUrl":"\([^"]*\)".*/\1/p')
  master=$(curl -sf "localhost:$PORT$master_url")
  uri=$(echo "$master" | grep "LANGUAGE=\"$lang\"" | sed -n 's/.*URI="\([^"]*\)".*/\1/p')
  [ -n "$uri" ] || die "the master does not list $lang"
  playlist=$(curl -sf "localhost:$PORT/api/v1/playback/$version/$uri")
  curl -sf "$(echo "$playlist" | grep -m1 '^http')" | grep -q 'Line 0' || die "first segment without its cue"
  t1=$(date +%s.%N)
  [ "$run" = 0 ] || times+=("$(echo "$t1 - $t0" | bc)")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(printf '%.3f' "$(median "${times[@]}")")
worst=$(printf '%.3f' "$(echo "$sorted" | tail -n 1)")

report=$(cat <<EOF
## Localisation: dub cost and subtitle latency ($(date -u +%Y-%m-%d), $(nproc) cores, ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3))

Source: ${SECONDS_OF_VIDEO} s $SIZE 30 fps phone-like + AAC (the ladder's rungs, x264 veryfast); dub: AAC file of
the same length. CPU: each bare command once as a warm-up, then $RUNS times, medians (dub ÷ ladder per run: ${ratios[*]},
spread ± $(spread "${ratios[@]}") %). Machine: $(machine_note); absolute times are pessimistic when it is busy, the
CPU-seconds ratio is what the machine's load affects least.

| measure | value |
| --- | --- |
| CPU (user+sys) of the episode's ladder (the app's command, bare) | ${ladder_cpu} s |
| CPU (user+sys) of its dub (the app's command, bare) | ${dub_cpu} s |
| **dub ÷ ladder, CPU-seconds** | **${ratio}** ($(verdict "$ratio" "<=" 0.05)) |
| subtitle upload → playable master, median of ${SUBTITLE_RUNS} (PUT, playback, master, subtitle playlist, first segment) | ${median} s (± $(spread "${times[@]}") %) |
| **… worst of ${SUBTITLE_RUNS}** | **${worst} s** ($(verdict "$worst" "<=" 2)) |

Reproduce: \`scripts/bench/localisation.sh ${SECONDS_OF_VIDEO} ${SUBTITLE_RUNS}\`.
EOF
)
echo "$report"
write_report "localisation" "$report"
