package com.microdrama.transcode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.FFmpegResultFuture;
import com.github.kokorin.jaffree.ffmpeg.NullOutput;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import com.microdrama.core.media.MediaProbe;
import com.microdrama.transcode.ladder.DubCommand;
import com.microdrama.transcode.ladder.LadderCommand;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs ffmpeg (through Jaffree) for the ladder and for the poster. Progress is read from ffmpeg's own stats lines
 * on stderr rather than Jaffree's progress listener, which would have ffmpeg open a TCP socket: the process only
 * ever opens the one local source file and writes into its job directory.
 */
@ApplicationScoped
public class LadderEncoder {

    private static final Pattern TIME = Pattern.compile("time=(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final Pattern SPEED = Pattern.compile("speed=\\s*([0-9.]+)x");
    private static final int LOG_TAIL_LINES = 40;

    private final ScratchSpace scratch;

    LadderEncoder(ScratchSpace scratch) {
        this.scratch = scratch;
    }

    /** What an ffmpeg run left behind: its last lines of log and its final speed (× realtime). */
    public record Outcome(String logTail, double speed) {
    }

    /**
     * Encodes the ladder into {@code outDir}, and, when the command has a poster frame, {@code outDir/poster.jpg}
     * and {@code outDir/thumbnail.jpg} in the same pass. {@code stopRequested} is polled while ffmpeg runs; when it
     * turns true the process is killed and {@link Stopped} is thrown. Past {@code deadline} the process is killed and
     * {@link TooSlow} is thrown.
     */
    public Outcome encode(Path source, Path outDir, Path keyInfo, LadderCommand command, Duration deadline,
                          DoubleConsumer progressSeconds, BooleanSupplier stopRequested) {
        return encode(source, outDir, keyInfo, command, List.of(), deadline, progressSeconds, stopRequested);
    }

    /**
     * The same, also writing each rung's reference frames (its encoder's input for the frames the command's
     * quality sample selects) into {@code references}, one file per rung, in the rungs' order.
     */
    public Outcome encode(Path source, Path outDir, Path keyInfo, LadderCommand command, List<Path> references,
                          Duration deadline, DoubleConsumer progressSeconds, BooleanSupplier stopRequested) {
        LogTail tail = new LogTail();
        UrlOutput playlists = UrlOutput.toPath(outDir.resolve("%v").resolve("index.m3u8"));
        command.outputArguments(outDir, keyInfo).forEach(playlists::addArgument);
        FFmpeg ffmpeg = base(fenced(source, MediaProbe.fenceArguments()), tail, progressSeconds)
                .setComplexFilter(command.filterGraph())
                .addOutput(playlists);
        for (int r = 0; r < references.size(); r++) {
            UrlOutput reference = UrlOutput.toPath(references.get(r));
            command.referenceArguments(r).forEach(reference::addArgument);
            ffmpeg.addOutput(reference);
        }
        if (command.posterFrame() >= 0) {
            ffmpeg.addOutput(stillOutput(outDir.resolve("poster.jpg"), "[po]", 3))
                    .addOutput(stillOutput(outDir.resolve("thumbnail.jpg"), "[th]", 4));
        }
        return run(ffmpeg, outDir, tail, deadline, stopRequested);
    }

    /** A dub's one audio rendition into {@code outDir/index.m3u8}; stopped and timed like {@link #encode}. */
    public Outcome encodeAudio(Path source, Path outDir, Path keyInfo, DubCommand command, Duration deadline,
                               DoubleConsumer progressSeconds, BooleanSupplier stopRequested) {
        LogTail tail = new LogTail();
        UrlOutput playlist = UrlOutput.toPath(outDir.resolve("index.m3u8"));
        command.outputArguments(outDir, keyInfo).forEach(playlist::addArgument);
        FFmpeg ffmpeg = base(fenced(source, MediaProbe.audioFenceArguments()), tail, progressSeconds).addOutput(playlist);
        return run(ffmpeg, outDir, tail, deadline, stopRequested);
    }

    /**
     * A poster (720 wide) and a thumbnail (180 wide) from one frame near the start, in one small process: for when
     * the ladder's own pass left none (it keeps one frame of its decode for them).
     */
    public void poster(Path source, double atSeconds, Path poster, Path thumbnail, Duration deadline) {
        LogTail tail = new LogTail();
        FFmpeg ffmpeg = ffmpeg()
                .setLogLevel(LogLevel.INFO)
                .addInput(fenced(source).setPosition((long) (atSeconds * 1000), TimeUnit.MILLISECONDS))
                .setOutputListener(tail::add)
                .setComplexFilter("[0:v]split=2[p][t];" + LadderCommand.POSTER_SCALES)
                .addOutput(stillOutput(poster, "[po]", 3))
                .addOutput(stillOutput(thumbnail, "[th]", 4))
                .setOverwriteOutput(true);
        run(ffmpeg, poster.getParent(), tail, deadline, () -> false);
    }

    /** One JPEG frame from the filter graph's {@code label}, at JPEG quality {@code quality} (2 best … 31). */
    private static UrlOutput stillOutput(Path file, String label, int quality) {
        return UrlOutput.toPath(file).addArguments("-map", label).setFrameCount(StreamType.VIDEO, 1L)
                .addArguments("-q:v", String.valueOf(quality)).addArguments("-update", "1");
    }

    /**
     * Reference frames an encode kept for the quality report: raw yuv420p frames of {@code width × height} in
     * {@code file}, read from byte {@code skipBytes} on.
     */
    public record Reference(Path file, int width, int height, long skipBytes) {
    }

    /**
     * Runs a measurement that writes no media: {@code others} (behind the same fences as the ladder's source), then
     * {@code references}, through {@code filterGraph} into the null muxer.
     */
    public void measure(List<Path> others, List<Reference> references, String filterGraph, Path jobDir,
                        Duration deadline, BooleanSupplier stopRequested) {
        LogTail tail = new LogTail();
        FFmpeg ffmpeg = ffmpeg()
                .setLogLevel(LogLevel.INFO)
                .setOutputListener(tail::add)
                .setComplexFilter(filterGraph)
                .addOutput(new NullOutput(false));
        others.forEach(other -> ffmpeg.addInput(fenced(other)));
        references.forEach(reference -> ffmpeg.addInput(UrlInput.fromUrl("file:" + reference.file().toAbsolutePath())
                .addArguments("-protocol_whitelist", "file")
                .setFormat("rawvideo")
                .addArguments("-pix_fmt", "yuv420p")
                .addArguments("-video_size", reference.width() + "x" + reference.height())
                .addArguments("-skip_initial_bytes", String.valueOf(reference.skipBytes()))));
        run(ffmpeg, jobDir, tail, deadline, stopRequested);
    }

    /** Every ffmpeg run starts here, so that {@link #run} can log its arguments. */
    private Arguments ffmpeg() {
        return new Arguments(scratch.ffmpegDir());
    }

    private FFmpeg base(UrlInput input, LogTail tail, DoubleConsumer progressSeconds) {
        return ffmpeg()
                .setLogLevel(LogLevel.INFO)
                .addInput(input)
                .setOutputListener(line -> {
                    tail.add(line);
                    Matcher time = TIME.matcher(line);
                    if (time.find()) {
                        progressSeconds.accept(Integer.parseInt(time.group(1)) * 3600
                                + Integer.parseInt(time.group(2)) * 60 + Double.parseDouble(time.group(3)));
                    }
                    Matcher speed = SPEED.matcher(line);
                    if (speed.find()) {
                        tail.speed = Double.parseDouble(speed.group(1));
                    }
                })
                .setOverwriteOutput(true);
    }

    /** The one local file, behind the same fences as the upload probe: file protocol only, accepted containers only. */
    private static UrlInput fenced(Path source) {
        return fenced(source, MediaProbe.fenceArguments());
    }

    private static UrlInput fenced(Path source, List<String> fence) {
        UrlInput input = UrlInput.fromUrl("file:" + source.toAbsolutePath());
        for (int i = 0; i < fence.size(); i += 2) {
            input.addArguments(fence.get(i), fence.get(i + 1));
        }
        return input;
    }

    /** Jaffree reports an abnormal exit as text: "... non-zero status: 137 ...". */
    private static final Pattern EXIT_STATUS = Pattern.compile("status: (\\d+)");
    /** 128 + SIGKILL, 128 + SIGTERM: the exit status of a process killed by one of them. */
    private static final Set<Integer> KILLED = Set.of(137, 143);

    private static Outcome run(FFmpeg ffmpeg, Path jobDir, LogTail tail, Duration deadline,
                               BooleanSupplier stopRequested) {
        if (Log.isDebugEnabled()) {
            Log.debugf("ffmpeg arguments: %s", ((Arguments) ffmpeg).json());
        }
        long started = System.nanoTime();
        FFmpegResultFuture future = ffmpeg.executeAsync();
        try {
            while (true) {
                try {
                    future.get(250, TimeUnit.MILLISECONDS);
                    return new Outcome(tail.text(), tail.speed);
                } catch (TimeoutException stillRunning) {
                    if (stopRequested.getAsBoolean()) {
                        kill(future, jobDir);
                        throw new Stopped();
                    }
                    if (System.nanoTime() - started > deadline.toNanos()) {
                        kill(future, jobDir);
                        throw new TooSlow(deadline, tail.text());
                    }
                }
            }
        } catch (InterruptedException e) {
            // Kill before restoring the flag: an interrupted thread would not wait for ffmpeg to be gone.
            kill(future, jobDir);
            Thread.currentThread().interrupt();
            throw new Stopped();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof JaffreeException ? e.getCause() : e;
            Matcher status = EXIT_STATUS.matcher(String.valueOf(cause.getMessage()));
            if (status.find() && KILLED.contains(Integer.parseInt(status.group(1)))) {
                throw new Killed(Integer.parseInt(status.group(1)) - 128, tail.text());
            }
            throw new EncodeFailure(cause.getMessage(), tail.text());
        }
    }

    /**
     * Kills ffmpeg and waits until the process is gone, so nothing writes into a directory being removed.
     * Jaffree's stop lets ffmpeg finish its trailer, and its future does not wait for the exit: the process is
     * found among this JVM's children by the job directory in its command line.
     */
    private static void kill(FFmpegResultFuture future, Path jobDir) {
        future.forceStop();
        ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(jobDir.toString())).orElse(false))
                .forEach(p -> {
                    p.destroyForcibly();
                    try {
                        p.onExit().get(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException e) {
                        throw new IllegalStateException("ffmpeg " + p.pid() + " did not exit", e);
                    }
                });
    }

    /**
     * ffmpeg was killed from outside (SIGKILL or SIGTERM: the kernel's OOM killer, a node draining, an operator), not
     * by anything in the source: a transient fault, the job runs again.
     */
    public static class Killed extends RuntimeException {
        private final String logTail;

        Killed(int signal, String logTail) {
            super("ffmpeg was killed by signal " + signal + " (not by this job): the attempt is retried", null, false,
                    false);
            this.logTail = logTail;
        }

        public String logTail() {
            return logTail;
        }
    }

    /** ffmpeg was stopped on purpose: the job was cancelled or its lease was lost. */
    public static class Stopped extends RuntimeException {
        Stopped() {
            super("ffmpeg was stopped", null, false, false);
        }
    }

    /** ffmpeg ran past its deadline and was killed: the source decodes far slower than real time. */
    public static class TooSlow extends EncodeFailure {
        TooSlow(Duration deadline, String logTail) {
            super("it ran longer than its deadline of " + deadline.toSeconds() + " s ("
                    + "transcode.encode-deadline: a multiple of the source's duration) and was stopped", logTail);
        }
    }

    /** ffmpeg exited with an error; its log tail says why. */
    public static class EncodeFailure extends MediaFailure {
        private final String logTail;

        EncodeFailure(String message, String logTail) {
            super("ffmpeg could not transcode the source: " + message);
            this.logTail = logTail;
        }

        public String logTail() {
            return logTail;
        }
    }

    /**
     * Jaffree's FFmpeg with its arguments readable: at DEBUG every run logs them as a JSON array (Jaffree's own
     * "Command constructed" line joins them with spaces, unquoted, so it cannot be split back reliably; the benchmarks
     * re-run the app's exact commands from this line).
     */
    private static final class Arguments extends FFmpeg {
        private static final ObjectMapper JSON = new ObjectMapper();

        Arguments(Path dir) {
            super(dir.resolve("ffmpeg"));
        }

        String json() {
            try {
                return JSON.writeValueAsString(buildArguments());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class LogTail {
        private final Deque<String> lines = new ArrayDeque<>();
        private volatile double speed;

        synchronized void add(String line) {
            if (line.startsWith("frame=") || line.startsWith("size=")) {
                return;
            }
            lines.addLast(line);
            if (lines.size() > LOG_TAIL_LINES) {
                lines.removeFirst();
            }
        }

        synchronized String text() {
            return String.join("\n", lines);
        }
    }
}
