package com.microdrama.upload;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class UploadRepository implements PanacheRepositoryBase<Upload, UUID> {

    /** Moves an upload from one state to another only if no one else did first; true when this caller won. */
    public Uni<Boolean> transition(UUID id, Upload.State from, Upload.State to) {
        return update("state = ?1 where id = ?2 and state = ?3", to, id, from).map(rows -> rows == 1);
    }

    /** Unfinished uploads past their expiry, oldest first. */
    public Uni<List<Upload>> expired(Instant now, int limit) {
        return find("state in ?1 and expiresAt < ?2 order by expiresAt",
                List.of(Upload.State.PENDING, Upload.State.COMPLETING), now)
                .page(0, limit).list();
    }
}
