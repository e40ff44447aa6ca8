package com.microdrama.analytics;

import com.microdrama.catalogue.EpisodeDirectory;
import com.microdrama.catalogue.EpisodeDirectory.Placement;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The catalogue's placement of the episodes events name (series, number, length), remembered: an episode never
 * changes series or number, and events name the same few episodes over and over. A length may change with a new
 * version; a remembered one lags until the process restarts or the memory is cleared (shares are then off by the
 * difference).
 */
@ApplicationScoped
class KnownEpisodes {

    private static final int MAX_REMEMBERED = 200_000;

    private final EpisodeDirectory directory;
    private final Map<UUID, Placement> remembered = new ConcurrentHashMap<>();

    KnownEpisodes(EpisodeDirectory directory) {
        this.directory = directory;
    }

    /** The placements of those ids that are episodes (unknown ids are absent). */
    Uni<Map<UUID, Placement>> of(Collection<UUID> ids) {
        Map<UUID, Placement> found = new HashMap<>();
        Set<UUID> missing = ids.stream().filter(id -> {
            Placement p = remembered.get(id);
            if (p != null) {
                found.put(id, p);
            }
            return p == null;
        }).collect(Collectors.toSet());
        if (missing.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        return directory.byIds(missing).map(list -> {
            remember(list);
            list.forEach(p -> found.put(p.id(), p));
            return found;
        });
    }

    Uni<List<Placement>> inSeries(UUID seriesId, Collection<Integer> numbers) {
        return directory.byNumbers(seriesId, numbers).invoke(this::remember);
    }

    private void remember(List<Placement> placements) {
        if (remembered.size() > MAX_REMEMBERED) {
            remembered.clear();
        }
        placements.forEach(p -> remembered.put(p.id(), p));
    }
}
