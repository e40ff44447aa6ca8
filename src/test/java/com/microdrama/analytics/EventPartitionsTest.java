package com.microdrama.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.support.Api;
import com.microdrama.support.Db;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventPartitionsTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventPartitions partitions;

    private List<Object> tables() {
        return Db.rows(db, """
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = 'analytics_event'::regclass order by 1
                """).stream().map(r -> r.get("relname")).toList();
    }

    @Test
    void partitions_are_made_ahead_and_those_past_retention_are_dropped_with_their_events() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate old = today.minusDays(200);
        Db.rows(db, "select analytics_event_partition(?::date)", old.toString());
        Api.sql(db, """
                insert into analytics_event (occurred_at, viewer_id, event_id, kind, source, episode_id)
                values (?::date + interval '1 hour', 'viewer-old', 'e-1', 'progress', 'client', ?)
                """, old.toString(), UUID.randomUUID());

        List<String> dropped = partitions.maintain(today);

        String name = "analytics_event_" + old.toString().replace("-", "");
        assertThat(dropped).contains(name);
        assertThat(tables()).doesNotContain(name)
                .contains("analytics_event_" + today.plusDays(7).toString().replace("-", ""),
                        "analytics_event_" + today.minusDays(3).toString().replace("-", ""));
        assertThat(Db.rows(db, "select 1 from analytics_event where viewer_id = 'viewer-old'")).isEmpty();
        assertThat(partitions.maintain(today)).isEmpty();
    }
}
