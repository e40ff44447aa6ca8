package com.microdrama.playback;

import com.microdrama.core.error.ApiException;
import com.microdrama.core.storage.ObjectStorage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.logging.Log;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.cache.CompositeCacheKey;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Playlists as players receive them, cached per version: read once from storage and rewritten into a template
 * in which only the playback token is left to fill in per request. Segment URLs are absolute and stable for the
 * cache's lifetime (a CDN prefix, or storage URLs signed once per version), so segments never pass through here.
 */
@ApplicationScoped
public class PlaylistService {

    private static final String TOKEN = PlaylistTemplate.TOKEN;
    /** Signed segment URLs outlive the cached playlist that carries them by this much at least. */
    private static final Duration SEGMENT_URL_TTL = Duration.ofHours(12);
    private static final Pattern KEY_URI = Pattern.compile("URI=\"[^\"]*\"");

    private final ObjectStorage storage;
    private final Counter mediaMissing;
    private final PlaybackConfig config;
    private final PlayableEpisodes episodes;
    private final CaffeineCache cached;
    private final MissingMedia missing;

    PlaylistService(ObjectStorage storage, PlaybackConfig config, PlayableEpisodes episodes, @CacheName("playlists") Cache cached,
                    MeterRegistry registry, MissingMedia missing) {
        this.missing = missing;
        this.storage = storage;
        this.mediaMissing = Counter.builder("playback_media_missing_total")
                .description("Masters of ready versions asked for and not found in storage").register(registry);
        this.config = config;
        this.episodes = episodes;
        this.cached = cached.as(CaffeineCache.class);
    }

    /**
     * The master template if it is cached already, else null (then call {@link #master}). Players ask for the same
     * few playlists over and over; the hit path skips the interceptor and the Uni machinery.
     */
    public PlaylistTemplate cachedMaster(UUID episodeId, UUID versionId) {
        return ready(new CompositeCacheKey(episodeId, versionId));
    }

    /** The media template if it is cached already, else null (then call {@link #media}). */
    public PlaylistTemplate cachedMedia(UUID episodeId, UUID versionId, String rung) {
        return ready(new CompositeCacheKey(episodeId, versionId, rung));
    }

    private PlaylistTemplate ready(Object key) {
        CompletableFuture<PlaylistTemplate> entry = cached.getIfPresent(key);
        return entry != null && entry.isDone() && !entry.isCompletedExceptionally() ? entry.getNow(null) : null;
    }

    @CacheResult(cacheName = "playlists")
    public Uni<PlaylistTemplate> master(@CacheKey UUID episodeId, @CacheKey UUID versionId) {
        return readMaster(episodeId, versionId).map(text -> text.lines()
                .map(line -> line.isBlank() || line.startsWith("#") ? line : line + "?token=" + TOKEN)
                .collect(Collectors.joining("\n", "", "\n")))
                .map(PlaylistTemplate::new);
    }

    /**
     * The master as a viewer with these language preferences gets it: the stored one when the version has no
     * subtitle or dub, else with its renditions added and the preferred ones DEFAULT. The version's live tracks are
     * read on every call (one indexed query; a master is fetched once per play) so that a track's commit switches
     * every API process's next master at once; the rendered text is cached per track set and defaults.
     */
    public Uni<PlaylistTemplate> master(UUID episodeId, UUID versionId, String audioWanted, String subtitlesWanted) {
        return episodes.tracks(versionId).flatMap(tracks -> {
            if (tracks.live().isEmpty() || tracks.originalLanguage() == null) {
                PlaylistTemplate plain = cachedMaster(episodeId, versionId);
                return plain != null ? Uni.createFrom().item(plain) : master(episodeId, versionId);
            }
            LocalisedMaster.Defaults defaults = LocalisedMaster.Defaults.of(tracks, audioWanted, subtitlesWanted);
            String trackSet = tracks.live().stream().map(PlayableEpisodes.Track::dir).collect(Collectors.joining(","));
            return cached.getAsync(new CompositeCacheKey(episodeId, versionId, trackSet, defaults.audio(),
                    String.valueOf(defaults.subtitles())), key -> readMaster(episodeId, versionId)
                    .map(text -> new PlaylistTemplate(LocalisedMaster.render(text, tracks, defaults, "?token=" + TOKEN))));
        });
    }

    @CacheResult(cacheName = "playlists")
    public Uni<PlaylistTemplate> media(@CacheKey UUID episodeId, @CacheKey UUID versionId, @CacheKey String rung) {
        String dir = prefix(episodeId, versionId) + rung + "/";
        String keyUri = "URI=\"/api/v1/playback/keys/" + versionId + "?token=" + TOKEN + "\"";
        return read(dir + "index.m3u8").map(text -> text.lines()
                .map(line -> {
                    if (line.startsWith("#EXT-X-KEY")) {
                        return KEY_URI.matcher(line).replaceFirst(keyUri.replace("$", "\\$"));
                    }
                    return line.isBlank() || line.startsWith("#") ? line : segmentUrl(dir + line.strip());
                })
                .collect(Collectors.joining("\n", "", "\n")))
                .map(PlaylistTemplate::new);
    }

    /** The version's AES-128 key; immutable, so cached like the playlists. */
    @CacheResult(cacheName = "segment-keys")
    public Uni<byte[]> key(UUID versionId) {
        return episodes.segmentKey(versionId).map(key -> {
            if (key == null) {
                throw ApiException.notFound("episode version", versionId);
            }
            return key;
        });
    }

    private String segmentUrl(String key) {
        return config.segmentBaseUrl()
                .map(base -> base.replaceAll("/+$", "") + "/" + key)
                .orElseGet(() -> storage.signedGetUrl(key, SEGMENT_URL_TTL));
    }

    /**
     * A ready version's master. Its absence is not the viewer's doing: the database and the store are out of step
     * (objects deleted, a fresh local store beside an old database), so the answer says so without blaming the
     * request, and operators see it counted, logged with the version and listed ({@link MissingMedia}).
     */
    private Uni<String> readMaster(UUID episodeId, UUID versionId) {
        return read(masterKey(episodeId, versionId))
                .invoke(found -> missing.found(versionId))
                .onFailure(ApiException.class).call(e -> {
                    if (((ApiException) e).status() != 404) {
                        return Uni.createFrom().voidItem();
                    }
                    mediaMissing.increment();
                    Log.errorf("Version %s of episode %s is ready but its media is missing from storage (%s)",
                            versionId, episodeId, prefix(episodeId, versionId));
                    return missing.seen(episodeId, versionId);
                })
                .onFailure(ApiException.class).transform(e -> ((ApiException) e).status() != 404 ? e
                        : new ApiException(503, "Episode unavailable", "this episode's video is missing on our side "
                        + "and has been reported to our operators; please try another episode"));
    }

    private Uni<String> read(String key) {
        // The MinIO SDK blocks: read on a worker thread (only on a cache miss).
        return Uni.createFrom().item(() -> {
                    try {
                        return storage.readText(key).orElseThrow(() -> ApiException.notFound("playlist", key));
                    } catch (ApiException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot read " + key, e);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Where a version's master playlist is stored. */
    public static String masterKey(UUID episodeId, UUID versionId) {
        return prefix(episodeId, versionId) + "master.m3u8";
    }

    static String prefix(UUID episodeId, UUID versionId) {
        return "hls/" + episodeId + "/" + versionId + "/";
    }
}
