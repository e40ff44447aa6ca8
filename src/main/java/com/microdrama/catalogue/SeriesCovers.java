package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.CoverUrls;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.media.MediaRejected;
import com.microdrama.core.media.StillImages;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.core.storage.ObjectStorage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Series covers: a producer's JPEG, PNG or WebP, re-encoded into the two shapes apps show (3:4 in grids and rails,
 * 9:16 full screen) and stored under a name that carries the upload's digest, so that its URLs never change while
 * the cover stays the same. Blocking (the body, ffmpeg, storage): runs on a worker thread.
 */
@ApplicationScoped
public class SeriesCovers {

    public static final long MAX_BYTES = 10L * 1024 * 1024;
    static final StillImages.Limits LIMITS = new StillImages.Limits(300, 400, 6000, 24_000_000L);
    /** Shape name in the URL, output size. */
    static final List<String> SHAPES = List.of("3x4", "9x16");
    private static final int[][] SIZES = {{720, 960}, {720, 1280}};

    private final StillImages images;
    private final ObjectStorage storage;
    private final ProducerCatalogueService producers;

    SeriesCovers(StillImages images, ObjectStorage storage, ProducerCatalogueService producers) {
        this.images = images;
        this.storage = storage;
        this.producers = producers;
    }

    /** Replaces the cover of the producer's series; 422 with the reason when the image is refused. */
    public CoverUrls replace(String producerId, UUID seriesId, InputStream body) {
        Blocking.await(() -> Panache.withSession(() -> producers.owned(producerId, seriesId)));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("cover-");
            Path source = dir.resolve("source");
            String digest = copyBounded(body, source);
            List<StillImages.Shape> shapes = List.of(
                    new StillImages.Shape(SIZES[0][0], SIZES[0][1], dir.resolve(SHAPES.get(0) + ".jpg")),
                    new StillImages.Shape(SIZES[1][0], SIZES[1][1], dir.resolve(SHAPES.get(1) + ".jpg")));
            StillImages.Source found = images.reencode(source, LIMITS, shapes);
            String key = "covers/" + seriesId + "/" + digest;
            for (StillImages.Shape shape : shapes) {
                storage.upload(shape.target(), key + "/" + shape.target().getFileName(), "image/jpeg");
            }
            Log.debugf("Series %s has a new cover %s (%s %dx%d)", seriesId, key, found.format(), found.width(),
                    found.height());
            Blocking.await(() -> Panache.withTransaction(() -> producers.owned(producerId, seriesId).map(s -> {
                s.coverImageKey = key;
                s.updatedAt = Instant.now();
                return s;
            })));
            return CoverUrls.of(key);
        } catch (MediaRejected e) {
            throw new ApiException(422, "Image refused", e.reason());
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cover of series " + seriesId + " not stored", e);
        } finally {
            deleteAll(dir);
        }
    }

    /** A stored cover's bytes; empty when the series has no such cover. */
    public Optional<byte[]> read(UUID seriesId, String digest, String shape) {
        try (InputStream in = storage.client().getObject(io.minio.GetObjectArgs.builder().bucket(storage.bucket())
                .object("covers/" + seriesId + "/" + digest + "/" + shape + ".jpg").build())) {
            return Optional.of(in.readAllBytes());
        } catch (io.minio.errors.ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cover " + seriesId + "/" + digest + " not read", e);
        }
    }

    /** Copies at most {@link #MAX_BYTES} (a chunked body declares no length), answering the first 16 hex of its SHA-256. */
    private static String copyBounded(InputStream body, Path target) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha)) {
            for (int read; (read = body.read(buffer)) != -1; ) {
                total += read;
                if (total > MAX_BYTES) {
                    throw new ApiException(413, "Payload too large", tooLarge());
                }
                out.write(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    public static String tooLarge() {
        return "a cover image may be at most " + MAX_BYTES / (1024 * 1024) + " MiB";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteAll(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            Log.warnf("Could not delete %s: %s", dir, e.getMessage());
        }
    }
}
