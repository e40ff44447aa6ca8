package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.SeriesSummary;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Series answers for ids a ranking query chose (search, trending, the feed), kept in the ranking's order. */
@ApplicationScoped
public class SeriesCards {

    private final SeriesRepository series;

    SeriesCards(SeriesRepository series) {
        this.series = series;
    }

    public Uni<List<SeriesSummary>> inOrder(List<UUID> ids) {
        return entities(ids).map(list -> list.stream().map(SeriesSummary::of).toList());
    }

    /** The entities, in the order of {@code ids}; ids of series since deleted are skipped. */
    public Uni<List<Series>> entities(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.withSession(() -> series.list("id in ?1", ids)).map(list -> {
            Map<UUID, Series> byId = new HashMap<>();
            list.forEach(s -> byId.put(s.id, s));
            return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
        });
    }
}
