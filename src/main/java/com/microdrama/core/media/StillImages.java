package com.microdrama.core.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Still images from strangers (JPEG, PNG, WebP), decoded and re-encoded by ffmpeg so that nothing of the original
 * file but its pixels survives: no EXIF or XMP metadata, no ICC profile, no trailing bytes. The same fences as
 * {@link MediaProbe}: the one local file by absolute {@code file:} path, {@code -protocol_whitelist file}, and a
 * format whitelist of the three image demuxers (not {@code image2}, whose file-name patterns could open other files).
 * Width and height are read from the header before anything is decoded, so a decompression bomb is refused unread.
 * Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class StillImages {

    /** Demuxers that read one image from one file, by content. */
    static final List<String> IMAGE_DEMUXERS = List.of("jpeg_pipe", "png_pipe", "webp_pipe");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final MediaBinaries binaries;
    private final ObjectMapper json;

    StillImages(MediaBinaries binaries, ObjectMapper json) {
        this.binaries = binaries;
        this.json = json;
    }

    /** The largest image accepted, by side and by pixel count. */
    public record Limits(int minWidth, int minHeight, int maxSide, long maxPixels) {
    }

    /** One output: cropped to fill {@code width}×{@code height} around the centre, written as JPEG to {@code target}. */
    public record Shape(int width, int height, Path target) {
    }

    /** What the source turned out to be. */
    public record Source(String format, int width, int height) {
    }

    /** Checks the file and writes every shape; refused files say why in a producer's words. */
    public Source reencode(Path localCopy, Limits limits, List<Shape> shapes) throws MediaRejected {
        Path file = localCopy.toAbsolutePath().normalize();
        String format = sniff(file);
        Source source = probe(file, format);
        if (source.width() < limits.minWidth() || source.height() < limits.minHeight()) {
            throw new MediaRejected("the image is " + source.width() + "×" + source.height() + "; it must be at least "
                    + limits.minWidth() + "×" + limits.minHeight() + " pixels");
        }
        if (Math.max(source.width(), source.height()) > limits.maxSide()
                || (long) source.width() * source.height() > limits.maxPixels()) {
            throw new MediaRejected("the image is " + source.width() + "×" + source.height() + "; at most "
                    + limits.maxSide() + " pixels a side and " + limits.maxPixels() / 1_000_000 + " megapixels");
        }
        encode(file, format, shapes);
        return source;
    }

    /** The first fence, before any process runs: the file's own magic bytes must say JPEG, PNG or WebP. */
    private static String sniff(Path file) throws MediaRejected {
        byte[] head = new byte[12];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        if (read >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) {
            return "jpeg_pipe";
        }
        if (read >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            return "png_pipe";
        }
        if (read >= 12 && new String(head, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
                && new String(head, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
            return "webp_pipe";
        }
        throw new MediaRejected(read == 0 ? "the file is empty (0 bytes)" : "the file is not a JPEG, PNG or WebP image");
    }

    private Source probe(Path file, String format) throws MediaRejected {
        List<String> command = new ArrayList<>(List.of(binary(binaries.ffprobe(), "ffprobe"), "-v", "error",
                "-protocol_whitelist", "file", "-format_whitelist", String.join(",", IMAGE_DEMUXERS), "-f", format,
                "-show_entries", "stream=codec_type,codec_name,width,height", "-of", "json", "file:" + file));
        Finished probe = run(command);
        try {
            JsonNode streams = json.readTree(probe.stdout()).path("streams");
            for (JsonNode s : streams) {
                if ("video".equals(s.path("codec_type").asText()) && s.path("width").asInt() > 0
                        && s.path("height").asInt() > 0) {
                    return new Source(format.replace("_pipe", ""), s.path("width").asInt(), s.path("height").asInt());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("ffprobe answered no JSON", e);
        }
        throw damaged(probe);
    }

    private void encode(Path file, String format, List<Shape> shapes) throws MediaRejected {
        List<String> command = new ArrayList<>(List.of(binary(binaries.ffmpeg(), "ffmpeg"), "-nostdin", "-v", "error",
                "-y", "-protocol_whitelist", "file", "-format_whitelist", String.join(",", IMAGE_DEMUXERS),
                "-f", format, "-i", "file:" + file));
        StringBuilder graph = new StringBuilder("[0:v]split=" + shapes.size());
        for (int i = 0; i < shapes.size(); i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < shapes.size(); i++) {
            Shape shape = shapes.get(i);
            graph.append(String.format(Locale.ROOT,
                    ";[s%d]scale=%d:%d:force_original_aspect_ratio=increase,crop=%d:%d,format=yuvj420p[o%d]",
                    i, shape.width(), shape.height(), shape.width(), shape.height(), i));
        }
        command.addAll(List.of("-filter_complex", graph.toString()));
        for (int i = 0; i < shapes.size(); i++) {
            // No metadata, no encoder tag: the output is pixels and a bare JPEG header.
            command.addAll(List.of("-map", "[o" + i + "]", "-map_metadata", "-1", "-fflags", "+bitexact",
                    "-flags:v", "+bitexact", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2",
                    "-update", "1", "file:" + shapes.get(i).target().toAbsolutePath()));
        }
        Finished done = run(command);
        if (done.exitCode() != 0) {
            throw damaged(done);
        }
    }

    private static MediaRejected damaged(Finished process) {
        String detail = process.stderr().lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
        return new MediaRejected("the image cannot be decoded" + (detail.isEmpty() ? "" : " (" + detail + ")")
                + "; it may be truncated or damaged");
    }

    private record Finished(int exitCode, String stdout, String stderr) {
    }

    private static Finished run(List<String> command) throws MediaRejected {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("still-", ".out");
            err = Files.createTempFile("still-", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new MediaRejected("the image could not be processed within " + TIMEOUT.toSeconds() + " s");
            }
            return new Finished(process.exitValue(), limited(out), limited(err));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while processing an image", e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static String limited(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.UTF_8);
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temp file left behind costs a few bytes; the answer matters more.
            }
        }
    }

    private static String binary(java.util.Optional<Path> path, String name) {
        return path.orElseThrow(() -> new IllegalStateException(name + " is not installed")).toString();
    }
}
