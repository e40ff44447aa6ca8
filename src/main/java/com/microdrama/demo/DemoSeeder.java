package com.microdrama.demo;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import com.microdrama.core.media.MediaBinaries;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.transcode.TranscodeConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Seeds, once, a published demo series whose episodes are generated with ffmpeg (a title card with the episode
 * number) and sent through the real pipeline: stored as sources, queued, transcoded by the workers. A newcomer
 * running the app has something to browse and play within a minute.
 */
@ApplicationScoped
public class DemoSeeder {

    static final String SLUG = "demo-midnight-contract";
    static final String TITLE = "Midnight Contract";

    private final DemoConfig config;
    private final TranscodeConfig transcode;
    private final Pool pool;
    private final ObjectStorage storage;
    private final MediaBinaries binaries;

    DemoSeeder(DemoConfig config, TranscodeConfig transcode, Pool pool, ObjectStorage storage, MediaBinaries binaries) {
        this.config = config;
        this.transcode = transcode;
        this.pool = pool;
        this.storage = storage;
        this.binaries = binaries;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.seed()) {
            // Off the startup path: generating clips takes seconds and must not delay the API.
            Thread seeder = new Thread(this::seedOnce, "demo-seeder");
            seeder.setDaemon(true);
            seeder.start();
        }
    }

    void seedOnce() {
        try {
            boolean exists = pool.preparedQuery("select 1 from series where slug = $1").execute(Tuple.of(SLUG))
                    .await().atMost(Duration.ofSeconds(10)).size() > 0;
            if (exists) {
                return;
            }
            Path dir = Files.createTempDirectory("microdrama-demo");
            List<String> sourceKeys = new ArrayList<>();
            for (int n = 1; n <= config.episodes(); n++) {
                Path clip = generate(dir, n);
                String key = "raw/demo/" + UUID.randomUUID();
                storage.upload(clip, key, "video/mp4");
                sourceKeys.add(key + "|" + Files.size(clip));
                Files.delete(clip);
            }
            Files.delete(dir);
            pool.withTransaction(tx -> insert(tx, sourceKeys)).await().atMost(Duration.ofSeconds(30));
            Log.infof("Demo series '%s' seeded: %d episodes queued for transcoding", SLUG, sourceKeys.size());
        } catch (Exception e) {
            Log.warnf("Demo content was not seeded: %s", e.getMessage());
        }
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

    private Uni<Void> insert(SqlClient tx, List<String> sources) {
        UUID series = UUID.randomUUID();
        Uni<?> chain = tx.preparedQuery("""
                insert into series (id, slug, title, synopsis, language, genres, tags, status, free_episode_count,
                    coin_price, producer_id, published_at)
                values ($1, $2, $3, $4, 'en', '{romance,drama}', '{demo}', 'published', 2, 30, 'demo-studio', now())
                """).execute(Tuple.of(series, SLUG, TITLE,
                "A contract marriage signed at midnight. Generated demo content: every frame went through the real pipeline."));
        for (int i = 0; i < sources.size(); i++) {
            int number = i + 1;
            String[] source = sources.get(i).split("\\|");
            UUID episode = UUID.randomUUID();
            UUID version = UUID.randomUUID();
            chain = chain
                    .flatMap(x -> tx.preparedQuery("""
                            insert into episode (id, series_id, number, title, state, published, published_at)
                            values ($1, $2, $3, $4, 'processing', true, now())
                            """).execute(Tuple.of(episode, series, number, "Episode " + number)))
                    .flatMap(x -> tx.preparedQuery("""
                            insert into episode_version (id, episode_id, version_number, source_key, source_size)
                            values ($1, $2, 1, $3, $4)
                            """).execute(Tuple.of(version, episode, source[0], Long.parseLong(source[1]))))
                    .flatMap(x -> tx.preparedQuery("""
                            insert into transcode_job (id, version_id, max_attempts) values ($1, $2, $3)
                            """).execute(Tuple.of(UUID.randomUUID(), version, transcode.maxAttempts())));
        }
        return chain.replaceWithVoid();
    }
}
