package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.FeedItem;
import com.microdrama.catalogue.dto.FeedPage;
import com.microdrama.paywall.EntitlementService;
import com.microdrama.playback.PlaybackService;
import com.microdrama.playback.ViewerActivityService;
import com.microdrama.playback.ViewerActivityService.ContinueWatching;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The swipe feed. Signed in: the series the viewer is watching (at their next episode) first, then trending series
 * in the viewer's languages at their first episode, leaving out series being watched and series seen to the end.
 * Anonymous: trending only. Like the series' episode list, lock state comes from the paywall's entitlements, and
 * each watchable item carries a playback ticket from playback, decided for the whole page at once.
 */
@ApplicationScoped
public class FeedService {

    private final ViewerActivityService activity;
    private final TrendingSeries trending;
    private final FeedEpisodes episodes;
    private final EntitlementService entitlements;
    private final PlaybackService playback;

    FeedService(ViewerActivityService activity, TrendingSeries trending, FeedEpisodes episodes,
                EntitlementService entitlements, PlaybackService playback) {
        this.activity = activity;
        this.trending = trending;
        this.episodes = episodes;
        this.entitlements = entitlements;
        this.playback = playback;
    }

    /** The client's cursor; 400 when it is not one of ours. */
    public static FeedCursor cursor(String encoded) {
        return FeedCursor.parse(encoded);
    }

    public Uni<FeedPage> page(Optional<String> viewerId, List<String> languages, FeedCursor cursor, int limit) {
        Uni<ViewerActivityService.Watching> watching = viewerId.map(id -> activity.watching(id, episodes::resume))
                .orElse(Uni.createFrom().item(new ViewerActivityService.Watching(List.of(), List.of())));
        return watching.flatMap(w -> {
            List<ContinueWatching> continuing = w.continuing();
            int offset = cursor == null ? 0 : cursor.inTrending() ? continuing.size()
                    : Math.min(cursor.continueOffset(), continuing.size());
            List<ContinueWatching> resumed = continuing.subList(offset, Math.min(offset + limit, continuing.size()));
            int room = limit - resumed.size();
            if (room == 0) {
                return items(viewerId, resumed, List.of()).map(items -> new FeedPage(items,
                        FeedCursor.inContinueWatching(offset + resumed.size()).encode()));
            }
            List<UUID> excluded = new ArrayList<>(w.finishedSeries());
            continuing.forEach(c -> excluded.add(c.seriesId()));
            return trending.ids(new TrendingSeries.Scope(languages, List.of(), excluded),
                            cursor != null && cursor.inTrending() ? cursor.trendingAfter() : null, room)
                    .flatMap(top -> items(viewerId, resumed, top.ids()).map(items -> new FeedPage(items,
                            top.next() == null ? null : FeedCursor.inTrending(top.next()).encode())));
        });
    }

    private Uni<List<FeedItem>> items(Optional<String> viewerId, List<ContinueWatching> resumed, List<UUID> trendingIds) {
        return episodes.byEpisode(resumed.stream().map(ContinueWatching::episodeId).toList())
                .flatMap(next -> episodes.firstOfSeries(trendingIds).flatMap(first -> {
                    List<Draft> drafts = new ArrayList<>();
                    for (ContinueWatching c : resumed) {
                        FeedEpisodes.FeedEpisode e = next.get(c.episodeId());
                        if (e != null) {
                            drafts.add(new Draft(FeedItem.CONTINUE_WATCHING, e, c.positionSeconds()));
                        }
                    }
                    for (UUID id : trendingIds) {
                        FeedEpisodes.FeedEpisode e = first.get(id);
                        if (e != null) {
                            drafts.add(new Draft(FeedItem.TRENDING, e, 0));
                        }
                    }
                    return unlocked(viewerId, drafts).map(open -> drafts.stream()
                            .map(d -> item(viewerId, d, open.get(d.episode().series().id()))).toList());
                }));
    }

    private record Draft(String reason, FeedEpisodes.FeedEpisode episode, double resumeAt) {
    }

    /**
     * Per series with a priced episode on the page, the numbers the viewer has unlocked (a null set: VIP). One
     * lookup per such series, Redis first; free episodes need none, and most feed items are free first episodes.
     */
    private Uni<Map<UUID, Optional<Set<Integer>>>> unlocked(Optional<String> viewerId, List<Draft> drafts) {
        List<FeedEpisodes.FeedEpisode> priced = drafts.stream().map(Draft::episode).filter(e -> !e.free()).toList();
        if (viewerId.isEmpty() || priced.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<Map.Entry<UUID, Optional<Set<Integer>>>>> lookups = priced.stream()
                .map(e -> entitlements.unlockedNumbers(viewerId.get(), e.series().id(), e.number())
                        .map(numbers -> Map.entry(e.series().id(), Optional.ofNullable(numbers))))
                .toList();
        return Uni.join().all(lookups).andFailFast().map(entries -> {
            Map<UUID, Optional<Set<Integer>>> bySeries = new HashMap<>();
            entries.forEach(entry -> bySeries.put(entry.getKey(), entry.getValue()));
            return bySeries;
        });
    }

    /** {@code unlocked}: null when nothing was looked up (free), an empty Optional for VIP. */
    private FeedItem item(Optional<String> viewerId, Draft d, Optional<Set<Integer>> unlocked) {
        FeedEpisodes.FeedEpisode e = d.episode();
        FeedItem.EpisodeCard episode = new FeedItem.EpisodeCard(e.episodeId(), e.number(), e.title(),
                e.durationMs() == null ? null : e.durationMs() / 1000.0, "/api/v1/episodes/" + e.episodeId() + "/poster",
                d.resumeAt());
        int price = e.free() ? 0 : e.price();
        FeedItem.Unlock unlock = new FeedItem.Unlock(price, e.free() ? null : "/api/v1/episodes/" + e.episodeId() + "/unlock");
        if (viewerId.isEmpty()) {
            return new FeedItem(d.reason(), e.series(), episode, "sign-in", null, unlock);
        }
        String access = e.free() ? "free"
                : unlocked != null && (unlocked.isEmpty() || unlocked.get().contains(e.number())) ? "unlocked"
                : "locked";
        if (access.equals("locked")) {
            return new FeedItem(d.reason(), e.series(), episode, access, null, unlock);
        }
        PlaybackService.Ticket ticket = playback.ticket(viewerId.get(), e.episodeId(), e.versionId());
        return new FeedItem(d.reason(), e.series(), episode, access,
                new FeedItem.Playback(ticket.versionId(), ticket.masterUrl(), ticket.expiresAt()), null);
    }
}
