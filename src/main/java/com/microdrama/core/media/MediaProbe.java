package com.microdrama.core.media;

import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.Rational;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.SideData;
import com.github.kokorin.jaffree.ffprobe.Stream;
import com.github.kokorin.jaffree.log.LogMessage;
import com.github.kokorin.jaffree.process.JaffreeAbnormalExitException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ffprobe, hardened for files from strangers. Only ever run on a local copy, given as an absolute {@code file:}
 * path, with two independent fences: {@code -protocol_whitelist file} (no network, no {@code concat:},
 * {@code subfile:} or {@code data:} protocol) and {@code -format_whitelist} (only the containers we accept, so
 * playlist-like demuxers such as hls or concat are refused before they open anything they reference). The
 * process is killed when it overruns its time budget. Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class MediaProbe {

    /** Demuxer names as libavformat spells them; a detected name matches when any of its aliases is listed. */
    public static final List<String> ACCEPTED_DEMUXERS = List.of("mov", "mp4", "matroska", "webm", "mpegts");
    /** A dub's source may also be a plain audio file. */
    public static final List<String> ACCEPTED_AUDIO_DEMUXERS = List.of("mov", "mp4", "matroska", "webm", "mpegts",
            "mp3", "wav", "aac", "flac", "ogg");

    private static final Pattern NOT_ON_WHITELIST = Pattern.compile("\\[([\\w,]+) @ [^]]*] (?:\\[\\w+] )?Format not on whitelist");
    private static final Pattern DEMUXER_ERROR = Pattern.compile("\\[[\\w,]+ @ [^]]*] (?:\\[\\w+] )?(.+)");

    private final MediaBinaries binaries;
    private final MediaConfig.Probe limits;

    MediaProbe(MediaBinaries binaries, MediaConfig config) {
        this.binaries = binaries;
        this.limits = config.probe();
    }

    /** The arguments the probe adds before the input: shown in tests and docs, so the fences stay visible. */
    public static List<String> fenceArguments() {
        return fence(ACCEPTED_DEMUXERS);
    }

    /** The same fences for a dub's source (audio containers too). */
    public static List<String> audioFenceArguments() {
        return fence(ACCEPTED_AUDIO_DEMUXERS);
    }

    private static List<String> fence(List<String> demuxers) {
        return List.of("-protocol_whitelist", "file", "-format_whitelist", String.join(",", demuxers));
    }

    /** What a dub's source holds: its first audio stream and its duration. */
    public record AudioFacts(String container, String codec, double durationSeconds) {
    }

    /**
     * Probes a dub's source (an audio file, or a video whose audio is taken) behind the same fences as a video
     * source, audio containers added.
     */
    public AudioFacts probeAudio(Path localCopy) throws MediaRejected {
        Path file = localCopy.toAbsolutePath().normalize();
        if (sizeOf(file) == 0) {
            throw new MediaRejected("the file is empty (0 bytes)");
        }
        FFprobeResult result = run(file, limits.timeout(), audioFenceArguments());
        String container = result.getFormat() == null ? null : result.getFormat().getFormatName();
        if (container == null || !accepted(container, ACCEPTED_AUDIO_DEMUXERS)) {
            throw new MediaRejected("container '" + container + "' is not accepted for audio; send AAC, MP3, WAV, FLAC, "
                    + "Ogg, or a video (MP4/MOV, Matroska/WebM, MPEG-TS) whose audio is taken");
        }
        Stream audio = result.getStreams().stream().filter(s -> s.getCodecType() == StreamType.AUDIO).findFirst()
                .orElseThrow(() -> new MediaRejected("no audio stream"));
        if (audio.getCodecName() == null || audio.getSampleRate() == null || audio.getSampleRate() <= 0) {
            throw new MediaRejected("the audio stream cannot be decoded (codec "
                    + Optional.ofNullable(audio.getCodecName()).orElse("unknown") + ")");
        }
        Float format = result.getFormat().getDuration();
        double duration = format != null && format > 0 ? format : audio.getDuration() == null ? 0 : audio.getDuration();
        if (!(duration > 0) || duration > limits.maxDuration().toMillis() / 1000.0) {
            throw new MediaRejected("duration " + seconds(duration) + " s is outside what an episode can have");
        }
        return new AudioFacts(container, audio.getCodecName(), duration);
    }

    public ProbeResult probe(Path localCopy) throws MediaRejected {
        return probe(localCopy, limits.timeout());
    }

    public ProbeResult probe(Path localCopy, Duration timeout) throws MediaRejected {
        Path file = localCopy.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(file + " is not a regular file");
        }
        long size = sizeOf(file);
        if (size == 0) {
            throw new MediaRejected("the file is empty (0 bytes)");
        }
        FFprobeResult result = run(file, timeout, fenceArguments());
        return validate(result);
    }

    private FFprobeResult run(Path file, Duration timeout, List<String> fence) throws MediaRejected {
        Path ffprobe = binaries.ffprobe().orElseThrow(() -> new IllegalStateException("ffprobe is not installed"));
        FFprobe probe = FFprobe.atPath(ffprobe.getParent())
                .setShowFormat(true)
                .setShowStreams(true)
                .setLogLevel(LogLevel.ERROR)
                .setInput("file:" + file);
        for (int i = 0; i < fence.size(); i += 2) {
            probe.addArguments(fence.get(i), fence.get(i + 1));
        }
        Future<FFprobeResult> running = probe.executeAsync();
        try {
            return running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Interrupting Jaffree's thread makes it destroy the ffprobe process.
            running.cancel(true);
            throw new MediaRejected("the file could not be analysed within " + (timeout.toMillis() < 1000
                    ? timeout.toMillis() + " ms" : timeout.toSeconds() + " s"));
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing", e);
        } catch (ExecutionException e) {
            throw refusal(e.getCause(), file);
        }
    }

    private MediaRejected refusal(Throwable failure, Path file) {
        List<LogMessage> messages = failure instanceof JaffreeAbnormalExitException abnormal
                ? abnormal.getProcessErrorLogMessages() : List.of();
        for (LogMessage m : messages) {
            Matcher refused = NOT_ON_WHITELIST.matcher(m.message);
            if (refused.find()) {
                return notAccepted(refused.group(1));
            }
        }
        if (!(failure instanceof JaffreeException)) {
            throw new IllegalStateException("ffprobe could not be run", failure);
        }
        if (looksLikeText(file)) {
            return notAccepted("text");
        }
        String detail = messages.stream()
                .map(m -> DEMUXER_ERROR.matcher(m.message))
                .filter(Matcher::find)
                .map(m -> m.group(1).strip())
                .findFirst()
                .orElse("no known video container was recognised");
        Log.debugf("ffprobe refused %s: %s", file.getFileName(), messages);
        return new MediaRejected("the file is not a readable video (" + detail
                + "); it may be truncated or damaged");
    }

    private ProbeResult validate(FFprobeResult result) throws MediaRejected {
        String container = result.getFormat() == null ? null : result.getFormat().getFormatName();
        // Second fence: even if a demuxer slipped through the whitelist, only the accepted families pass.
        if (container == null || !accepted(container)) {
            throw notAccepted(String.valueOf(container));
        }
        List<Stream> video = result.getStreams().stream()
                .filter(s -> s.getCodecType() == StreamType.VIDEO)
                .filter(s -> s.getDisposition() == null || !Boolean.TRUE.equals(s.getDisposition().getAttachedPic()))
                .toList();
        if (video.isEmpty()) {
            throw new MediaRejected("no video stream");
        }
        if (video.size() > 1) {
            throw new MediaRejected(video.size() + " video streams; an episode must have exactly one");
        }
        Stream v = video.get(0);
        if (v.getCodecName() == null || v.getWidth() == null || v.getWidth() <= 0 || v.getHeight() == null
                || v.getHeight() <= 0 || v.getPixFmt() == null) {
            throw new MediaRejected("the video stream cannot be decoded (codec "
                    + Optional.ofNullable(v.getCodecName()).orElse("unknown") + ")");
        }
        Integer frames = v.getNbFrames();
        if (frames != null && frames == 1) {
            throw new MediaRejected("the video has a single frame; an episode must be moving pictures");
        }
        double duration = duration(result, v);
        double min = limits.minDuration().toMillis() / 1000.0;
        double max = limits.maxDuration().toMillis() / 1000.0;
        if (!(duration >= min)) {
            throw new MediaRejected("duration " + seconds(duration) + " s is below the " + seconds(min) + " s minimum");
        }
        if (duration > max) {
            throw new MediaRejected("duration " + seconds(duration) + " s is above the " + seconds(max)
                    + " s maximum");
        }
        int codedWidth = v.getWidth();
        int codedHeight = v.getHeight();
        if (Math.max(codedWidth, codedHeight) > limits.maxSide()) {
            throw new MediaRejected("size " + codedWidth + "×" + codedHeight + " is above the " + limits.maxSide()
                    + " pixel limit on the longest side");
        }
        double fps = frameRate(v);
        if (!(fps >= limits.minFrameRate() && fps <= limits.maxFrameRate())) {
            throw new MediaRejected("frame rate " + seconds(fps) + " fps is outside " + seconds(limits.minFrameRate())
                    + "–" + seconds(limits.maxFrameRate()) + " fps");
        }
        int rotation = rotation(v);
        boolean quarterTurn = Math.abs(rotation) % 180 == 90;
        int width = quarterTurn ? codedHeight : codedWidth;
        int height = quarterTurn ? codedWidth : codedHeight;
        if (width >= height) {
            throw new MediaRejected((width == height ? "square " : "landscape ") + width + "×" + height
                    + ": episodes must be vertical");
        }
        Optional<Stream> audio = result.getStreams().stream().filter(s -> s.getCodecType() == StreamType.AUDIO).findFirst();
        return new ProbeResult(container, v.getCodecName(), width, height, codedWidth, codedHeight, rotation,
                duration, fps, audio.isPresent(), audio.map(Stream::getCodecName).orElse(null), frames);
    }

    static boolean accepted(String demuxer) {
        return accepted(demuxer, ACCEPTED_DEMUXERS);
    }

    private static boolean accepted(String demuxer, List<String> demuxers) {
        for (String alias : demuxer.split(",")) {
            if (demuxers.contains(alias)) {
                return true;
            }
        }
        return false;
    }

    private static MediaRejected notAccepted(String container) {
        return new MediaRejected("container '" + container + "' is not accepted; send MP4/MOV, Matroska/WebM or MPEG-TS");
    }

    private static double duration(FFprobeResult result, Stream v) {
        Float format = result.getFormat().getDuration();
        if (format != null && format > 0) {
            return format;
        }
        return v.getDuration() == null ? 0 : v.getDuration();
    }

    private static double frameRate(Stream v) {
        Rational avg = v.getAvgFrameRate();
        if (avg != null && avg.getDenominator() != 0 && avg.getNumerator() != 0) {
            return avg.doubleValue();
        }
        Rational real = v.getRFrameRate();
        return real == null || real.getDenominator() == 0 ? 0 : real.doubleValue();
    }

    private static int rotation(Stream v) {
        List<SideData> sideData = v.getSideDataList();
        if (sideData != null) {
            for (SideData d : sideData) {
                if (d.getRotation() != null) {
                    return d.getRotation();
                }
            }
        }
        String tag = v.getTag("rotate");
        return tag == null ? 0 : (int) Double.parseDouble(tag);
    }

    private static String seconds(double value) {
        double rounded = Math.round(value * 100) / 100.0;
        return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.format(Locale.ROOT, "%s", rounded);
    }

    /** Text (a playlist, a script, a note) named like a video: say so rather than "invalid data". */
    private static boolean looksLikeText(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            for (byte b : head) {
                if (b == 0 || (b > 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t')) {
                    return false;
                }
            }
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(head, 0, head.length));
            return head.length > 0;
        } catch (CharacterCodingException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
