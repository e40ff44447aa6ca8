package com.microdrama.upload;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Local copies of sources, for ffprobe (which only ever reads a local file, never a URL). Named by the server,
 * without the client's file name or extension, so nothing about the name steers the demuxer.
 */
@ApplicationScoped
public class LocalCopy {

    /** What a copy received: its size and SHA-256 (lowercase hex). */
    public record Copied(long size, String sha256) {
    }

    private final Path dir;

    LocalCopy(UploadConfig config) {
        this.dir = Path.of(config.tempDir().orElse(System.getProperty("java.io.tmpdir")));
    }

    public Path newFile() {
        try {
            Files.createDirectories(dir);
            return Files.createTempFile(dir, "source-", ".bin");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary file in " + dir, e);
        }
    }

    /** Copies a stream into a file with a bounded buffer, hashing on the way. */
    public Copied copy(InputStream in, Path file) throws IOException {
        MessageDigest sha = sha256();
        long size;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            size = in.transferTo(out);
        }
        return new Copied(size, hex(sha));
    }

    public void delete(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            io.quarkus.logging.Log.warnf("Could not delete temporary file %s: %s", file, e.getMessage());
        }
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
