package com.microdrama.playback;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.paywall.Entitlement;
import com.microdrama.paywall.EntitlementService;
import com.microdrama.paywall.UnlockService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import com.microdrama.core.i18n.Languages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Starting playback: entitlement is decided once here, then carried by a short-lived token that the playlist
 * and key requests verify on their own.
 */
@ApplicationScoped
public class PlaybackService {

    /** Asynchronous semantics (an observer's failure cannot fail the play) without a thread hop. */
    private static final NotificationOptions ON_THIS_THREAD = NotificationOptions.ofExecutor(Runnable::run);

    private final EntitlementService entitlements;
    private final UnlockService unlocks;
    private final PlaybackToken tokens;
    private final PlaybackConfig config;
    private final PlayableEpisodes episodes;
    private final PlayCounter popularity;
    private final Event<PlaybackStarted> started;
    private final LanguageSettings languages;

    PlaybackService(EntitlementService entitlements, UnlockService unlocks, PlaybackToken tokens, PlaybackConfig config,
                    PlayableEpisodes episodes, PlayCounter popularity, Event<PlaybackStarted> started,
                    LanguageSettings languages) {
        this.languages = languages;
        this.popularity = popularity;
        this.started = started;
        this.entitlements = entitlements;
        this.unlocks = unlocks;
        this.tokens = tokens;
        this.config = config;
        this.episodes = episodes;
    }

    @Schema(name = "NextEpisode")
    public record NextEpisode(UUID id, int number) {
    }

    /** One audio or subtitle language of the episode; {@code isDefault}: what the master makes DEFAULT. */
    public record TrackLanguage(String language, String name, boolean isDefault) {
    }

    @Schema(name = "Playback")
    public record Playback(UUID episodeId, UUID versionId, String masterUrl, Instant expiresAt, String posterUrl,
                           @Schema(nullable = true) Double durationSeconds, String access,
                           @Schema(nullable = true, description = "the next episode; null after the last one") NextEpisode next, List<TrackLanguage> audio,
                           List<TrackLanguage> subtitles) {
    }

    /**
     * {@code audioAsked}/{@code subtitlesAsked}: the languages the player asks for (BCP 47), else the viewer's saved
     * ones ({@link LanguageSettings}); they ride in the master URL, which makes the matching renditions DEFAULT.
     */
    public Uni<Playback> start(String viewerId, UUID episodeId, String audioAsked, String subtitlesAsked) {
        if (audioAsked != null && subtitlesAsked != null) {
            return play(viewerId, episodeId, audioAsked, subtitlesAsked);
        }
        return languages.of(viewerId).flatMap(saved -> play(viewerId, episodeId,
                audioAsked != null ? audioAsked : saved.audio(), subtitlesAsked != null ? subtitlesAsked : saved.subtitles()));
    }

    private Uni<Playback> play(String viewerId, UUID episodeId, String audioWanted, String subtitlesWanted) {
        return entitlements.forPlayback(viewerId, episodeId)
                .flatMap(e -> e.canWatch() || !e.autoUnlock()
                        ? Uni.createFrom().item(e)
                        // One key per viewer and episode: a retried play never charges twice.
                        : unlocks.unlock(viewerId, episodeId, "auto-unlock:" + episodeId)
                                .flatMap(done -> entitlements.of(viewerId, episodeId)))
                .flatMap(e -> {
            if (!e.canWatch()) {
                throw EntitlementService.locked(e);
            }
            Ticket ticket = ticket(viewerId, e.episodeId(), e.versionId());
            String preferences = (audioWanted == null ? "" : "&audio=" + audioWanted)
                    + (subtitlesWanted == null ? "" : "&subtitles=" + subtitlesWanted);
            return next(viewerId, e).flatMap(next -> episodes.tracks(e.versionId()).map(tracks -> {
                LocalisedMaster.Defaults defaults = LocalisedMaster.Defaults.of(tracks, audioWanted, subtitlesWanted);
                List<TrackLanguage> audio = new ArrayList<>();
                audio.add(new TrackLanguage(tracks.originalLanguage(), Languages.nativeName(tracks.originalLanguage()),
                        tracks.originalLanguage().equals(defaults.audio())));
                List<TrackLanguage> subtitles = new ArrayList<>();
                for (PlayableEpisodes.Track t : tracks.live()) {
                    boolean isAudio = t.kind().equals("audio");
                    (isAudio ? audio : subtitles).add(new TrackLanguage(t.language(), t.name(),
                            t.language().equals(isAudio ? defaults.audio() : defaults.subtitles())));
                }
                return new Playback(e.episodeId(), e.versionId(), ticket.masterUrl() + preferences, ticket.expiresAt(),
                        "/api/v1/episodes/" + e.episodeId() + "/poster",
                        e.durationMs() == null ? null : e.durationMs() / 1000.0, e.reason(), next, audio, subtitles);
            }));
        });
    }

    /** A tokenised master playlist URL and when it stops working. */
    public record Ticket(UUID versionId, String masterUrl, Instant expiresAt) {
    }

    /**
     * The master URL for a viewer already known to be entitled to the version (the feed decides entitlement for
     * a page of items at once). Counts no play: handing out a URL is not watching.
     */
    public Ticket ticket(String viewerId, UUID episodeId, UUID versionId) {
        Instant expires = Instant.now().plus(config.tokenTtl());
        String token = tokens.issue(new PlaybackToken.Grant(viewerId, episodeId, versionId, expires));
        return new Ticket(versionId, "/api/v1/playback/" + versionId + "/master.m3u8?token=" + token, expires);
    }

    /**
     * The next playable episode; the play is counted for the series' popularity and trending, and announced
     * (asynchronously: playback never waits for an observer, and a failing one cannot fail the play).
     */
    private Uni<NextEpisode> next(String viewerId, Entitlement e) {
        popularity.played(viewerId, e.seriesId(), e.episodeId());
        // On this thread: the observer only queues the event, and a hand-off to a worker thread per play cost more.
        started.fireAsync(new PlaybackStarted(viewerId, e.episodeId(), Instant.now()), ON_THIS_THREAD);
        return episodes.next(e.seriesId(), e.number());
    }
}
