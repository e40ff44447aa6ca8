package com.microdrama.demo;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import com.microdrama.catalogue.ProducerCatalogueService;
import com.microdrama.catalogue.SeriesStatus;
import com.microdrama.catalogue.dto.EpisodeRequest;
import com.microdrama.catalogue.dto.ProducerEpisode;
import com.microdrama.catalogue.dto.ProducerSeries;
import com.microdrama.catalogue.dto.SeriesRequest;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.playback.PlaylistService;
import com.microdrama.core.media.MediaBinaries;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.upload.StreamedUploadService;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Seeds, once, a published demo series whose episodes are generated with ffmpeg (a title card with the episode
 * number) and brought in the way a producer does it: the series and episodes created and published through the
 * producer's catalogue service, each source sent through the streamed upload, probed, queued and transcoded by the
 * workers. A newcomer running the app has something to browse and play within a minute, and the producer path is
 * exercised on every dev start.
 *
 * <p>The demo's rows live in PostgreSQL and its media in object storage, and the two can part: a second clone's
 * fresh local store beside the first clone's database, {@code mvnw clean} wiping the store's directory, a bucket
 * emptied. So each start also checks that every demo episode's current version still has its master in storage,
 * and uploads the episode again where it does not: the new version is transcoded and replaces the lost one.
 */
@ApplicationScoped
public class DemoSeeder {

    static final String SLUG = "demo-midnight-contract";
    static final String TITLE = "Midnight Contract";
    static final String PRODUCER = "demo-studio";
    private static final SeriesRequest SERIES = new SeriesRequest(SLUG, TITLE, "A contract marriage signed at "
            + "midnight. Generated demo content: every frame went through the real pipeline.",
            "en", List.of("romance", "drama"), List.of("demo"), 2, 30);

    private final DemoConfig config;
    private final ProducerCatalogueService catalogue;
    private final StreamedUploadService uploads;
    private final MediaBinaries binaries;
    private final ObjectStorage storage;

    DemoSeeder(DemoConfig config, ProducerCatalogueService catalogue, StreamedUploadService uploads,
               MediaBinaries binaries, ObjectStorage storage) {
        this.config = config;
        this.catalogue = catalogue;
        this.uploads = uploads;
        this.binaries = binaries;
        this.storage = storage;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.seed()) {
            // Off the startup path: generating clips takes seconds and must not delay the API.
            Thread seeder = new Thread(this::seedOnce, "demo-seeder");
            seeder.setDaemon(true);
            seeder.start();
        }
    }

    /** Blocking, on its own thread: the catalogue's reactive calls are awaited, the upload is blocking anyway. */
    void seedOnce() {
        try {
            if (Blocking.await(() -> catalogue.slugTaken(SLUG))) {
                reseedMissingMedia();
                return;
            }
            Path dir = Files.createTempDirectory("microdrama-demo");
            List<Path> clips = new ArrayList<>();
            try {
                // Every clip before the first row: an ffmpeg failure leaves nothing behind, and the next start retries.
                for (int n = 1; n <= config.episodes(); n++) {
                    clips.add(generate(dir, n));
                }
                UUID series = Blocking.await(() -> catalogue.create(PRODUCER, SERIES)).id();
                for (int i = 0; i < clips.size(); i++) {
                    addEpisode(series, i + 1, clips.get(i));
                }
                Blocking.await(() -> catalogue.changeStatus(PRODUCER, series, SeriesStatus.PUBLISHED));
            } finally {
                for (Path clip : clips) {
                    Files.deleteIfExists(clip);
                }
                Files.deleteIfExists(dir);
            }
            Log.infof("Demo series '%s' seeded: %d episodes queued for transcoding", SLUG, clips.size());
        } catch (Exception e) {
            Log.warnf("Demo content was not seeded: %s", e.getMessage());
        }
    }

    /**
     * Uploads again every demo episode whose current version is ready in the database but whose master is not in
     * storage; an episode with a newer version still in the pipeline is left to it. Returns how many were sent.
     */
    int reseedMissingMedia() throws Exception {
        ProducerSeries demo = Blocking.await(() -> catalogue.list(PRODUCER, null, 200)).items().stream()
                .filter(s -> SLUG.equals(s.slug())).findFirst().orElse(null);
        if (demo == null) {
            return 0; // the slug belongs to someone else's series: not ours to repair
        }
        List<Integer> lost = new ArrayList<>();
        for (ProducerEpisode episode : Blocking.await(() -> catalogue.episodes(PRODUCER, demo.id()))) {
            boolean inPipeline = episode.job() != null
                    && List.of("queued", "running").contains(episode.job().state().toLowerCase(java.util.Locale.ROOT));
            if (episode.currentVersionId() != null && !inPipeline
                    && storage.readText(PlaylistService.masterKey(episode.id(), episode.currentVersionId())).isEmpty()) {
                lost.add(episode.number());
            }
        }
        if (lost.isEmpty()) {
            return 0;
        }
        Log.warnf("Demo series '%s': the media of episodes %s is missing from storage (a fresh or wiped store beside "
                + "this database); uploading them again", SLUG, lost);
        Path dir = Files.createTempDirectory("microdrama-demo");
        try {
            for (int number : lost) {
                Path clip = generate(dir, number);
                try (InputStream in = Files.newInputStream(clip)) {
                    uploads.receive(PRODUCER, demo.id(), number, in, clip, "video/mp4", Files.size(clip), null);
                } finally {
                    Files.deleteIfExists(clip);
                }
            }
        } finally {
            Files.deleteIfExists(dir);
        }
        return lost.size();
    }

    /** The episode's metadata, its source through the streamed upload, then published: it shows once transcoded. */
    private void addEpisode(UUID series, int number, Path clip) throws IOException {
        Blocking.await(() -> catalogue.createEpisode(PRODUCER, series,
                new EpisodeRequest(number, "Episode " + number, null, null)));
        try (InputStream in = Files.newInputStream(clip)) {
            // As for a multipart form upload: the file is already on local disk, so it is probed where it is.
            uploads.receive(PRODUCER, series, number, in, clip, "video/mp4", Files.size(clip), null);
        }
        Blocking.await(() -> catalogue.publishEpisode(PRODUCER, series, number, true));
    }

    private Path generate(Path dir, int number) {
        Path clip = dir.resolve("episode-" + number + ".mp4");
        String text = "drawtext=font='DejaVu Sans':fontcolor=white:x=(w-text_w)/2";
        FFmpeg.atPath(binaries.ffmpeg().orElseThrow().getParent())
                .addInput(UrlInput.fromUrl("testsrc2=size=720x1280:rate=30:duration=" + config.episodeSeconds())
                        .setFormat("lavfi"))
                .addInput(UrlInput.fromUrl("sine=frequency=" + (330 + 110 * number) + ":duration=" + config.episodeSeconds())
                        .setFormat("lavfi"))
                .setComplexFilter("[0:v]drawbox=y=420:h=440:color=black@0.6:t=fill,"
                        + text + ":y=480:fontsize=64:text='" + TITLE + "',"
                        + text + ":y=620:fontsize=96:text='Episode " + number + "',"
                        + text + ":y=760:fontsize=40:text='%{pts\\:hms}'[v]")
                .addOutput(UrlOutput.toPath(clip).addArguments("-map", "[v]").addArguments("-map", "1:a")
                        .addArguments("-c:v", "libx264").addArguments("-preset", "veryfast")
                        .addArguments("-pix_fmt", "yuv420p").addArguments("-c:a", "aac").addArgument("-shortest"))
                .setOverwriteOutput(true)
                .execute();
        return clip;
    }
}
