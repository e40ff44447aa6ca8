package com.microdrama.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Tiny media generated at test time with ffmpeg's lavfi sources (2 s at 180×320 unless the test needs otherwise). */
public final class Media {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("microdrama-media-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Media() {
    }

    public static Path dir() {
        return DIR;
    }

    /** A valid vertical episode: 2 s, 180×320, 25 fps, H.264 with AAC audio. */
    public static Path vertical() {
        return ffmpeg("vertical.mp4", "-f", "lavfi", "-i", "testsrc=s=180x320:r=25:d=2", "-f", "lavfi", "-i",
                "sine=d=2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest");
    }

    public static Path landscape() {
        return ffmpeg("landscape.mp4", "-f", "lavfi", "-i", "color=s=320x180:r=25:d=2", "-c:v", "libx264",
                "-preset", "ultrafast");
    }

    /** Landscape as coded, but rotated a quarter turn by its display matrix: vertical on screen. */
    public static Path rotatedToVertical() {
        Path coded = landscape();
        return ffmpeg("rotated.mp4", "-i", coded.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90");
    }

    public static Path audioOnly() {
        return ffmpeg("audio.mp4", "-f", "lavfi", "-i", "sine=d=2", "-c:a", "aac");
    }

    public static Path singleFrame() {
        return ffmpeg("single.mp4", "-f", "lavfi", "-i", "color=s=180x320:r=25:d=1", "-frames:v", "1", "-c:v",
                "libx264", "-preset", "ultrafast");
    }

    public static Path tooShort() {
        return ffmpeg("short.mp4", "-f", "lavfi", "-i", "color=s=180x320:r=25:d=0.4", "-c:v", "libx264",
                "-preset", "ultrafast");
    }

    /** 50 frames whose timestamps claim 20 minutes. */
    public static Path overLongClaim() {
        return ffmpeg("long.mp4", "-f", "lavfi", "-i", "color=s=180x320:r=25:d=2", "-vf", "setpts=PTS*600",
                "-c:v", "libx264", "-preset", "ultrafast");
    }

    public static Path truncated() {
        Path whole = vertical();
        return write("truncated.mp4", slice(whole, Math.max(1, size(whole) / 2)));
    }

    public static Path zeroBytes() {
        return write("zero.mp4", new byte[0]);
    }

    public static Path textAsMp4() {
        return write("notes.mp4", "Episode 3 script: she opens the door and...\n".getBytes(StandardCharsets.UTF_8));
    }

    public static Path write(String name, byte[] content) {
        try {
            return Files.write(DIR.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A valid clip grown to exactly {@code total} bytes with a trailing MP4 'free' box of zeros: still a valid
     * file, written as a stream so that even a GiB costs no memory.
     */
    public static Path padded(String name, long total) {
        Path clip = vertical();
        Path out = DIR.resolve(name);
        long pad = total - size(clip);
        if (pad < 8 || pad > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("cannot pad to " + total);
        }
        try {
            Files.copy(clip, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.APPEND)) {
                o.write(ByteBuffer.allocate(8).putInt((int) pad).put("free".getBytes(StandardCharsets.US_ASCII)).array());
                byte[] zeros = new byte[1 << 20];
                for (long left = pad - 8; left > 0; left -= zeros.length) {
                    o.write(zeros, 0, (int) Math.min(zeros.length, left));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized Path ffmpeg(String name, String... args) {
        Path out = DIR.resolve(name);
        if (Files.exists(out)) {
            return out;
        }
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        command.add(out.toString());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + command + "\n" + output);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] slice(Path file, long length) {
        return java.util.Arrays.copyOf(bytes(file), (int) length);
    }

    public static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clip with a moving test pattern and, optionally, a tone. */
    public static Path clip(Path dir, String name, int width, int height, double seconds, boolean audio) {
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=30:duration=" + seconds));
        if (audio) {
            cmd.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds, "-c:a", "aac", "-shortest"));
        }
        cmd.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out.toString()));
        run(cmd);
        return out;
    }

    public static int run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("microdrama-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
