#!/usr/bin/env bash
# Per-title ladder vs the fixed ladder, through the real pipeline (upload, transcode, quality report, publish), on
# three generated 1080x1920 sources of different character (synthetic, labelled as such) and one real camera clip:
#   dialogue - one detailed still picture with a small moving region and light sensor noise (a two-shot in a room)
#   motion   - a detailed pattern rotating and changing hue (a chase, a whip pan)
#   grainy   - the moving test pattern under heavy temporal grain (film grain, a dark phone shot)
#   camera   - real footage: OpenCV's sample clip vtest.avi (a fixed camera over a campus path, people walking;
#              768x576 10 fps), as Debian ships it in opencv-doc (Apache-2.0 AND BSD-3-Clause per the package's
#              copyright file), its middle 9:16 cut out and scaled up to 1080x1920; fetched once with
#              `apt-get download` into ~/.cache/microdrama-bench; left out (said so) where apt cannot fetch it
# For each source:
#   1. delivered bytes per minute (all rungs' segments, audio included, as measured for AVERAGE-BANDWIDTH),
#      per-title / fixed                                                  (target <= 0.7 on dialogue, <= 1.0 on all)
#   2. each rung's SSIM over every frame (quality report with sample-every=1 frame-every=1), per-title minus fixed
#      (target >= -0.005); and each rung's delivered bytes per viewer-minute (its measured average bitrate)
#   3. CPU-seconds per output minute (user+sys of every ffmpeg/ffprobe the app ran for the job: the JVM's reaped
#      children's times from /proc), per-title with its sampled quality report / fixed without one  (target <= 1.15),
#      and per-title with its report / without it (the report's own cost, target <= 1.15)
# The app runs five times: fixed without a report, per-title as configured, per-title without a report (CPU: RUNS
# runs per source, median and spread; no warm-up, the CPU counted is ffmpeg's, not the JVM's), fixed and per-title
# comparing every frame (bytes and SSIM: one each; they moved by under 1 % between two runs). Exits non-zero
# when a target is missed.
# Figures go to docs/benchmarks.md.
# Quick mode: one 2 s source (dialogue), no camera clip, one run of each mode.
#   scripts/bench/pertitle.sh [--quick] [SECONDS=8] [RUNS=3]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set -- "${BENCH_ARGS[@]}"
SECONDS_OF_VIDEO=${1:-$(pick 8 2)}
RUNS=${2:-$RUNS}
read -r -a SOURCES <<<"$(pick "dialogue motion grainy" dialogue)"

echo "== generating ${#SOURCES[@]} ${SECONDS_OF_VIDEO} s 1080x1920 source(s) (synthetic, 16 Mb/s H.264 + AAC like a phone's)"
d=$SECONDS_OF_VIDEO
declare -A GRAPH=(
  [dialogue]="testsrc2=s=1080x1920:r=30:d=$d,trim=end_frame=1,loop=loop=-1:size=1,fps=30,trim=duration=$d,setpts=N/30/TB[bg];testsrc2=s=240x240:r=30:d=$d[face];[bg][face]overlay=x=420+20*sin(t*3):y=700,noise=alls=3:allf=t"
  [motion]="testsrc2=s=1600x1600:r=30:d=$d,rotate=a=t*0.9:ow=1080:oh=1920,hue=H=t"
  [grainy]="testsrc2=s=1080x1920:r=30:d=$d,noise=alls=22:allf=t+u"
)
for s in "${SOURCES[@]}"; do
  ffmpeg -v error -y -filter_complex "${GRAPH[$s]}" -f lavfi -i "sine=frequency=220:duration=$d" -c:v libx264 \
    -preset veryfast -b:v 16M -maxrate 16M -bufsize 32M -pix_fmt yuv420p -c:a aac -shortest "$BENCH/$s.mp4" \
    || die "could not generate the $s source"
done

CAMERA_NOTE=
if [ -z "$QUICK" ]; then
  CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/microdrama-bench
  CAMERA_CLIP=$CACHE/opencv-doc/usr/share/doc/opencv-doc/examples/data/vtest.avi
  if [ ! -f "$CAMERA_CLIP" ]; then
    mkdir -p "$CACHE/opencv-doc"
    (cd "$CACHE" && apt-get download opencv-doc >/dev/null 2>&1 && dpkg-deb --fsys-tarfile opencv-doc_*.deb \
      | tar -x -C opencv-doc ./usr/share/doc/opencv-doc/examples/data/vtest.avi ./usr/share/doc/opencv-doc/copyright \
      && rm -f opencv-doc_*.deb) || true
  fi
  if [ -f "$CAMERA_CLIP" ]; then
    echo "== camera: $CAMERA_CLIP (Debian opencv-doc), 9:16 cut scaled to 1080x1920"
    ffmpeg -v error -y -i "$CAMERA_CLIP" -f lavfi -i "sine=frequency=220:duration=$d" -t "$d" \
      -vf "crop=324:576,scale=1080:1920:flags=lanczos" -c:v libx264 -preset veryfast -b:v 16M -maxrate 16M -bufsize 32M \
      -pix_fmt yuv420p -c:a aac -shortest "$BENCH/camera.mp4" || die "could not cut the camera clip"
    SOURCES+=(camera)
  else
    CAMERA_NOTE="No real camera clip this run: \`apt-get download opencv-doc\` did not succeed on this machine."
    echo "$CAMERA_NOTE" >&2
  fi
fi

# CPU-seconds of the app's finished child processes (ffmpeg, ffprobe): cutime + cstime of the JVM.
children_cpu() { awk -v t="$TICKS" '{ printf "%.2f", ($16 + $17) / t }' "/proc/$app_pid/stat"; }

# Uploads a source, waits for its job; prints "cpu_seconds version".
encode() { # source
  local before version
  before=$(children_cpu)
  read -r _ _ version <<<"$(queue_source "$BENCH/$1.mp4" "$1-$RANDOM$RANDOM")"
  wait_job "$version"
  echo "$(echo "$(children_cpu) - $before" | bc) $version"
}

sql() { "${PSQL[@]}" -d "$DB" -tAF' ' -c "$1"; }
bytes_per_minute() { sql "select sum(average_bandwidth)::bigint * 60 / 8 from rendition where version_id = '$1'"; }

declare -A CPU BYTES SSIM PSNR RATE
# Starts the app configured for a mode: fixed | per-title | per-title-bare (no report) | fixed-report |
# per-title-report (the last two compare every frame, for bytes and SSIM).
start_mode() { # mode
  local mode=$1 rate quality every frames
  rate=${mode%-report}; rate=${rate%-bare}
  case $mode in
    fixed|per-title-bare) quality=false; every=6 ;;
    per-title) quality=true; every=6 ;;
    *) quality=true; every=1 ;;
  esac
  frames=$([ "$every" = 1 ] && echo 1 || echo 7)
  echo "== $mode: TRANSCODE_RATE_CONTROL=$rate TRANSCODE_QUALITY_ENABLED=$quality TRANSCODE_QUALITY_SAMPLE_EVERY=$every TRANSCODE_QUALITY_FRAME_EVERY=$frames"
  stop_app
  start_app TRANSCODE_RATE_CONTROL=$rate TRANSCODE_QUALITY_ENABLED=$quality TRANSCODE_QUALITY_SAMPLE_EVERY=$every \
    TRANSCODE_QUALITY_FRAME_EVERY=$frames
  [ -n "$(tr '\0' ' ' <"/proc/$app_pid/cmdline" | grep quarkus-run.jar)" ] || die "pid $app_pid is not the app"
}
# CPU: the three modes take turns within each run, so that the machine's drift (CPU-seconds of one encode moved by
# up to 30 % over ten minutes here, a shared host) falls on all of them alike; ratios are taken within a run.
for run in $(seq 1 "$RUNS"); do
  for mode in fixed per-title per-title-bare; do
    start_mode "$mode"
    for s in "${SOURCES[@]}"; do
      read -r cpu version <<<"$(encode "$s")"
      CPU[$mode,$s]="${CPU[$mode,$s]:-} $cpu"
      echo "   run $run $s: $cpu CPU-s"
    done
  done
done
for mode in fixed-report per-title-report; do
  start_mode "$mode"
  rate=${mode%-report}
  for s in "${SOURCES[@]}"; do
    read -r _ version <<<"$(encode "$s")"
    BYTES[$rate,$s]=$(bytes_per_minute "$version")
    while read -r rung ssim psnr bitrate; do
      SSIM[$rate,$s,$rung]=$ssim; PSNR[$rate,$s,$rung]=$psnr; RATE[$rate,$s,$rung]=$bitrate
    done < <(sql "select rendition_name, round(ssim::numeric, 4), round(psnr::numeric, 2), round(bitrate / 1000.0)
                  from rendition_quality where version_id = '$version' order by height desc")
    echo "   $s: ${BYTES[$rate,$s]} bytes/min"
  done
done
# Run by run quotients of two modes' CPU lists ("a1 a2 a3" / "b1 b2 b3").
run_ratios() { paste -d' ' <(tr -s ' ' '\n' <<<"$1" | awk NF) <(tr -s ' ' '\n' <<<"$2" | awk NF) \
  | awk '{ printf "%.3f ", $1 / $2 }'; }

# The camera source's description, when it was measured (quick runs and machines without apt leave it out).
CAMERA_TEXT=
if [[ " ${SOURCES[*]} " == *" camera "* ]]; then
  CAMERA_TEXT="; **real camera footage**: *camera*, the
first ${SECONDS_OF_VIDEO} s of OpenCV's sample clip \`vtest.avi\` (a fixed camera over a campus path, people walking, 768×576
10 fps, MS-MPEG4) from Debian's \`opencv-doc\` package (its copyright file: Apache-2.0 AND BSD-3-Clause for the
whole tree; the clip itself is not credited separately), its middle 9:16 cut (324×576) scaled up 3.3× — real
sensor noise and motion, but soft from the upscale and at 10 fps, so easier than a phone's 1080p."
else
  CAMERA_TEXT=.
fi
missed=0
check() { # value op bound -> verdict, remembers a miss
  local v; v=$(verdict "$@"); [[ $v == MISSES* ]] && missed=1; echo "$v"
}
rows=""; rung_rows=""; viewer_rows=""
# Bytes one viewer receives per minute on a rung: its measured average bitrate (video + audio, TS overhead), in MB.
per_viewer_minute() { echo "scale=2; $1 * 1000 * 60 / 8 / 1000000" | bc; }
for s in "${SOURCES[@]}"; do
  ratio=$(echo "scale=3; ${BYTES[per-title,$s]} / ${BYTES[fixed,$s]}" | bc)
  bound=$([ "$s" = dialogue ] && echo 0.7 || echo 1.0)
  fixed_cpu=$(echo "${CPU[fixed,$s]}" | median); title_cpu=$(echo "${CPU[per-title,$s]}" | median)
  fixed_min=$(echo "scale=1; $fixed_cpu * 60 / $SECONDS_OF_VIDEO" | bc); title_min=$(echo "scale=1; $title_cpu * 60 / $SECONDS_OF_VIDEO" | bc)
  cpu_ratios=$(run_ratios "${CPU[per-title,$s]}" "${CPU[fixed,$s]}")
  cpu_ratio=$(median $cpu_ratios)
  report_shares=$(run_ratios "${CPU[per-title,$s]}" "${CPU[per-title-bare,$s]}")
  report_share=$(median $report_shares)
  rows+="| $s | $(( ${BYTES[fixed,$s]} / 1000 )) kB | $(( ${BYTES[per-title,$s]} / 1000 )) kB | **$ratio** ($(check "$ratio" "<=" "$bound")) | $fixed_min (±$(echo "${CPU[fixed,$s]}" | spread) %) | $title_min (±$(echo "${CPU[per-title,$s]}" | spread) %) | **$cpu_ratio** (±$(spread $cpu_ratios) %; $(check "$cpu_ratio" "<=" 1.15)) | $report_share (±$(spread $report_shares) %; $(check "$report_share" "<=" 1.15)) |"$'\n'
  fixed_sum=0; title_sum=0
  for rung in 1080p 720p 540p 360p; do
    fixed_sum=$(( fixed_sum + ${RATE[fixed,$s,$rung]} )); title_sum=$(( title_sum + ${RATE[per-title,$s,$rung]} ))
    viewer_rows+="| $s | $rung | $(per_viewer_minute "${RATE[fixed,$s,$rung]}") | $(per_viewer_minute "${RATE[per-title,$s,$rung]}") | $(echo "scale=3; ${RATE[per-title,$s,$rung]} / ${RATE[fixed,$s,$rung]}" | bc) |"$'\n'
    delta=$(echo "${SSIM[per-title,$s,$rung]} - ${SSIM[fixed,$s,$rung]}" | bc)
    rung_rows+="| $s | $rung | ${RATE[fixed,$s,$rung]} → ${RATE[per-title,$s,$rung]} kb/s | ${SSIM[fixed,$s,$rung]} → ${SSIM[per-title,$s,$rung]} | **$delta** ($(check "$delta" ">=" -0.005)) | ${PSNR[fixed,$s,$rung]} → ${PSNR[per-title,$s,$rung]} dB |"$'\n'
  done
  viewer_rows+="| $s | **ladder, viewers spread evenly over the 4 rungs** (assumed mix) | $(per_viewer_minute "$(( fixed_sum / 4 ))") | $(per_viewer_minute "$(( title_sum / 4 ))") | $(echo "scale=3; $title_sum / $fixed_sum" | bc) |"$'\n'
done

report=$(cat <<EOF
## Per-title ladder vs fixed ladder ($(date -u +%Y-%m-%d), $(nproc) cores, ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3))

Sources, ${SECONDS_OF_VIDEO} s each, 1080×1920, 16 Mb/s H.264 + AAC: **synthetic** (lavfi, 30 fps): *dialogue* (a
detailed still picture, a small moving region, light sensor noise), *motion* (a detailed pattern rotating and
changing hue), *grainy* (the moving test pattern under heavy temporal grain)${CAMERA_TEXT} ${CAMERA_NOTE} Ladder of 4 rungs, x264 veryfast, 2 s segments,
AES-128; fixed = each rung at its configured bitrate; per-title = CRF under each rung's cap
(\`transcode.ladder[n].crf\` / \`max-bitrate\`). Delivered bytes are every rung's segments (audio included) per
minute. CPU is user+sys of the ffmpeg/ffprobe processes of one job (the app's reaped children), median of $RUNS
run(s) (± the spread, max−min over the mean); in each run the three modes take turns (the app restarted for each),
and the CPU ratios are the median of the runs' own quotients; per-title includes its quality report as configured (one segment in
6, at least one, and in it one frame in 7: with ${SECONDS_OF_VIDEO} s sources that is one segment of $(( (SECONDS_OF_VIDEO + 1) / 2 )), more than the
one in 6 of a real episode), fixed has none. SSIM and PSNR here compare every frame of each rung with the source
scaled to it (a second run of each ladder with \`sample-every=1 frame-every=1\`). Machine: $(machine_note).

| source | fixed, bytes/min | per-title, bytes/min | **bytes ratio** | fixed, CPU-s/min | per-title + report, CPU-s/min | **CPU ratio** | per-title with ÷ without its report |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows}
| source | rung | bitrate (fixed → per-title) | SSIM (fixed → per-title) | **SSIM difference** | PSNR |
| --- | --- | --- | --- | --- | --- |
${rung_rows}
**Delivered bytes per viewer-minute** (for docs/capacity.md): what one viewer watching a rung receives per minute,
its measured average bitrate (video, audio, TS overhead) × 60 s, in MB (10⁶ bytes). The ladder rows assume viewers
spread evenly over the rungs; a viewer mix from real players would replace that assumption.

| source | rung | fixed, MB per viewer-minute | per-title, MB per viewer-minute | per-title ÷ fixed |
| --- | --- | --- | --- | --- |
${viewer_rows}
Reproduce: \`scripts/bench/pertitle.sh ${SECONDS_OF_VIDEO} ${RUNS}\`.
EOF
)
echo "$report"
write_report "ladder-per-title" "$report"
[ "$missed" = 0 ] || { echo "a target was missed" >&2; exit 1; }
