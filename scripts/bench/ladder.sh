#!/usr/bin/env bash
# Transcode benchmarks, measured side by side in each run on one generated 1080x1920 clip:
#   1. single-pass ladder (the app's ffmpeg command) ÷ one ffmpeg run per rung, wall time   (target <= 0.75)
#   2. the whole pipeline in the running app (claim → published: download, probe, encode, poster, quality report when
#      on, upload, publish) ÷ the bare ladder command on a local file, wall time             (target <= 1.15)
#      with the pipeline's phases as the app logs them (where the extra seconds go)
#   3. CPU-seconds per output minute of the single-pass ladder, for the record
# A warm-up job (a short clip through the whole pipeline) runs first, so the measured jobs find a warm JVM; then
# RUNS runs, each: the pipeline, the bare ladder, the per-rung runs. Ratios are taken per run; the median and the
# spread are reported. Figures are written to docs/benchmarks.md (between the ladder markers).
#   [SOURCE=phone|clean] [PER_RUNG=0] scripts/bench/ladder.sh [--quick] [SECONDS=30]
# PER_RUNG=0 skips ratio 1 (the per-rung runs are the longest part) when only the pipeline's overhead is wanted.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set -- "${BENCH_ARGS[@]}"
SECONDS_OF_VIDEO=${1:-$(pick 30 2)}
KIND=${SOURCE:-phone}
SIZE=$(pick 1080x1920 360x640)
PER_RUNG=${PER_RUNG:-1}

echo "== generating a ${SECONDS_OF_VIDEO} s $SIZE $KIND-like source"
make_source "$BENCH/source.mp4" "$SECONDS_OF_VIDEO" "$SIZE" "$([ -n "$QUICK" ] && echo light || echo "$KIND")"
make_source "$BENCH/warmup.mp4" 2 "$SIZE" light

echo "== starting the app (worker included) on :$PORT"
start_app

echo "== warm-up job"
read -r _ _ version <<<"$(queue_source "$BENCH/warmup.mp4")"
wait_job "$version"

# Seconds from claim to published of the version's successful attempt.
pipeline_seconds() {
  "${PSQL[@]}" -d "$DB" -tAc "select round(extract(epoch from a.finished_at - a.started_at)::numeric, 2) from transcode_attempt
    a join transcode_job j on j.id = a.job_id where j.version_id = '$1' and a.outcome = 'succeeded'"
}

# The rungs of the app's last ladder command, one line each: "WIDTH HEIGHT RATE_ARGS..." (its rate control for that
# rung, the per-stream ":v:N" suffix dropped), read from the command the app logged; the per-rung runs encode these.
app_rungs() {
  grep -F "ffmpeg arguments: [" "$BENCH/app.log" | grep -F -- "-var_stream_map" | tail -n 1 | python3 -c '
import json, re, sys
line = sys.stdin.read()
args = json.loads(line[line.index("ffmpeg arguments: ") + len("ffmpeg arguments: "):])
graph = args[args.index("-filter_complex") + 1]
sizes = dict((int(i), (w, h)) for i, w, h in re.findall(r"\[s(\d+)\]scale=(\d+):(\d+)", graph))
for i in sorted(sizes):
    rate = []
    for flag, value in zip(args, args[1:]):
        m = re.fullmatch(r"(-(?:b|crf|maxrate|bufsize)):v:%d" % i, flag)
        if m:
            rate += [m.group(1), value]
    print(*sizes[i], *rate)'
}
# CPU seconds so far of: the app's own threads, its finished child processes (ffprobe, ffmpeg), and the S3 server
# (found by its port; 0 when it is not on this machine): where a job's CPU went besides ffmpeg.
S3_PID=$(ss -ltnpH "sport = :$(sed -E 's#.*:([0-9]+).*#\1#' <<<"$S3_ENDPOINT")" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
job_cpu() {
  local s3=0
  [ -z "$S3_PID" ] || s3=$(awk '{print $14 + $15}' "/proc/$S3_PID/stat" 2>/dev/null || echo 0)
  awk -v t="$TICKS" -v s3="$s3" '{printf "%.2f %.2f %.2f\n", ($14 + $15) / t, ($16 + $17) / t, s3 / t}' "/proc/$app_pid/stat"
}
declare -A PHASE
ratio1s=() ratio2s=() own=() pipelines=() singles=() per_rungs=() cpus=() app_cpus=() child_cpus=() s3_cpus=()
for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS: the source through the real pipeline"
  read -r app0 child0 s30 <<<"$(job_cpu)"
  read -r _ _ version <<<"$(queue_source "$BENCH/source.mp4")"
  wait_job "$version"
  read -r app1 child1 s31 <<<"$(job_cpu)"
  app_cpus+=("$(echo "$app1 - $app0" | bc)"); child_cpus+=("$(echo "$child1 - $child0" | bc)")
  s3_cpus+=("$(echo "$s31 - $s30" | bc)")
  pipeline=$(pipeline_seconds "$version")
  # "phases: download=1.23 probe=0.20 ..." from the attempt's last log line.
  phases=$(grep "Job .* published" "$BENCH/app.log" | tail -n 1 | sed -n 's/.*(phases: \(.*\)).*/\1/p')
  [ -n "$phases" ] || die "the app logged no phases for the job"
  for p in $phases; do PHASE[${p%%=*}]="${PHASE[${p%%=*}]:-} ${p#*=}"; done
  encode=$(sed -n 's/.*encode=\([0-9.]*\).*/\1/p' <<<"$phases")
  own+=("$(echo "scale=3; $pipeline / $encode" | bc)")

  echo "== run $run: the bare single-pass ladder (the app's own ffmpeg command on a local file)"
  read -r single_wall single_cpu <<<"$(rerun_app_ffmpeg bare "-var_stream_map" "$BENCH/source.mp4")"
  mapfile -t rung_lines < <(app_rungs)
  rungs=${#rung_lines[@]}
  [ "$rungs" -gt 0 ] || die "no rungs in the app's ladder command"
  pipelines+=("$pipeline"); singles+=("$single_wall"); cpus+=("$single_cpu")
  ratio2s+=("$(echo "scale=3; $pipeline / $single_wall" | bc)")
  echo "   pipeline $pipeline s, bare ladder $single_wall s (${phases})"

  [ "$PER_RUNG" = 1 ] || continue
  echo "== run $run: one ffmpeg run per rung (same encoder settings)"
  mkdir -p "$BENCH/bare-rungs"
  head -c 16 /dev/urandom >"$BENCH/bare-rungs/segment.key"
  printf 'key\n%s\n%s\n' "$BENCH/bare-rungs/segment.key" "$(head -c 16 /dev/urandom | xxd -p)" >"$BENCH/bare-rungs/key.info"
  per_rung_wall=0
  for i in $(seq 0 $((rungs - 1))); do
    read -r w h rate <<<"${rung_lines[$i]}"
    mkdir -p "$BENCH/rung$i"
    # shellcheck disable=SC2086 # rate: the rung's rate-control flags and values
    read -r wall _ <<<"$(timed "rung$i" ffmpeg -y -i "$BENCH/source.mp4" \
      -vf "fps=30,scale=$w:$h:force_original_aspect_ratio=decrease,pad=$w:$h:(ow-iw)/2:(oh-ih)/2,setsar=1" \
      -c:v libx264 $rate -preset veryfast -profile:v high \
      -pix_fmt yuv420p -g 60 -keyint_min 60 -sc_threshold 0 -force_key_frames 'expr:gte(t,n_forced*2)' \
      -c:a aac -b:a 128000 -ac 2 -ar 48000 -f hls -hls_time 2 -hls_playlist_type vod \
      -hls_key_info_file "$BENCH/bare-rungs/key.info" -hls_segment_filename "$BENCH/rung$i/seg_%04d.ts" "$BENCH/rung$i/index.m3u8")"
    per_rung_wall=$(echo "$per_rung_wall + $wall" | bc)
  done
  per_rungs+=("$per_rung_wall")
  ratio1s+=("$(echo "scale=3; $single_wall / $per_rung_wall" | bc)")
done

ratio2=$(median "${ratio2s[@]}")
single_cpu=$(median "${cpus[@]}")
cpu_per_min=$(echo "scale=1; $single_cpu * 60 / $SECONDS_OF_VIDEO" | bc)
quality=$([ "$("${PSQL[@]}" -d "$DB" -tAc "select count(*) from rendition_quality where version_id = '$version'")" -gt 0 ] \
  && echo "on (the default)" || echo off)
phase_rows=""
for p in download probe encode poster quality master upload publish; do
  [ -n "${PHASE[$p]:-}" ] || continue
  phase_rows+="| $p | $(median ${PHASE[$p]}) s |"$'\n'
done
if [ "$PER_RUNG" = 1 ]; then
  ratio1=$(median "${ratio1s[@]}")
  rung_rows="| one ffmpeg per rung, wall (sum of $rungs runs), median | $(median "${per_rungs[@]}") s |
| **ratio 1: single-pass ÷ per-rung**, median (spread) | **${ratio1}** (± $(spread "${ratio1s[@]}") %; $(verdict "$ratio1" "<=" 0.75)) |"
else
  rung_rows="| ratio 1: single-pass ÷ per-rung | not measured in this run (PER_RUNG=0) |"
fi

report=$(cat <<EOF
## Transcode ladder, $KIND-like source ($(date -u +%Y-%m-%d), $(nproc) cores, ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3))

Source: ${SECONDS_OF_VIDEO} s $SIZE 30 fps + AAC, generated ($KIND-like: $(echo "scale=1; $(stat -c %s "$BENCH/source.mp4") * 8 / $SECONDS_OF_VIDEO / 1000000" | bc) Mb/s); ladder of $rungs rungs
(the configured rate control), x264 veryfast, 2 s segments, AES-128; quality report $quality. A warm-up job first, then
$RUNS runs of: the pipeline, the bare ladder, $([ "$PER_RUNG" = 1 ] && echo "the per-rung runs" || echo "(no per-rung runs)"). Medians of the runs; the
spread is max − min over the mean. Machine: $(machine_note).

| measure | value |
| --- | --- |
| single-pass ladder, wall, median | $(median "${singles[@]}") s (± $(spread "${singles[@]}") %) |
${rung_rows}
| whole pipeline in the app (claim → published), median | $(median "${pipelines[@]}") s (± $(spread "${pipelines[@]}") %) |
| **ratio 2: pipeline ÷ bare ladder**, median (spread; the runs) | **${ratio2}** (± $(spread "${ratio2s[@]}") %; ${ratio2s[*]}; $(verdict "$ratio2" "<=" 1.15)) |
| pipeline ÷ its own encode phase (same process, same moment: the overhead with the machine's load mostly cancelled) | $(median "${own[@]}") (± $(spread "${own[@]}") %) |
| CPU (user+sys) of the single-pass ladder, median | ${single_cpu} s |
| CPU during a pipeline job, median: the app's ffmpeg and ffprobe runs / the app's own threads / the S3 server | $(median "${child_cpus[@]}") s / $(median "${app_cpus[@]}") s / $(median "${s3_cpus[@]}") s |
| **CPU-seconds per output minute** | **${cpu_per_min}** |

Where the pipeline's time goes (the app's log line per job, median of the runs):

| phase | wall |
| --- | --- |
${phase_rows}
Reproduce: \`SOURCE=$KIND scripts/bench/ladder.sh ${SECONDS_OF_VIDEO}\`.
EOF
)
echo "$report"
write_report "ladder-$KIND" "$report"
