package com.microdrama.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What makes PostgreSQL announce a catalogue change (every instance then drops its catalogue caches): rows that
 * changed, not statements. A statement that changes nothing (the transcode lease sweep ran one on every poll) must
 * not announce, or the caches are dropped every second.
 */
@QuarkusTest
class CatalogueAnnouncementsTest {

    @Inject
    AgroalDataSource db;

    @Test
    void statements_that_change_no_row_announce_nothing_and_a_real_change_announces_once() throws Exception {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries series = Api.playableSeries(db, producer, "announce", 1, 10, 2);
        String episode = series.episodes().get(0);
        try (Connection listener = db.getConnection(); Connection writer = db.getConnection()) {
            listener.setAutoCommit(true);
            writer.setAutoCommit(true);
            try (Statement s = listener.createStatement()) {
                s.execute("listen " + CatalogueChanges.CHANNEL);
            }
            int writerPid = pid(writer);

            try (Statement s = writer.createStatement()) {
                s.execute("update episode set title = title where false");
                s.execute("update episode set title = title where id = '" + episode + "'");
                s.execute("update media_track set state = state where false");
                s.execute("delete from episode_translation where false");
                s.execute("update series_translation set title = title where false");
                s.execute("notify " + CatalogueChanges.CHANNEL + ", 'marker'");
            }
            assertThat(fromWriterUntilMarker(listener, writerPid)).as("announcements before the marker").isEmpty();

            try (Statement s = writer.createStatement()) {
                s.execute("update episode set title = title || ' (new cut)' where series_id = '" + series.id() + "'");
                s.execute("notify " + CatalogueChanges.CHANNEL + ", 'marker'");
            }
            assertThat(fromWriterUntilMarker(listener, writerPid)).as("announcements of two changed rows")
                    .containsExactly("");
        }
    }

    private static int pid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** The payloads the writer's backend announced before its marker (others' announcements are left out). */
    private static List<String> fromWriterUntilMarker(Connection listener, int writerPid) throws Exception {
        PGConnection pg = listener.unwrap(PGConnection.class);
        List<String> payloads = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            PGNotification[] received = pg.getNotifications(500);
            for (PGNotification n : received == null ? new PGNotification[0] : received) {
                if (n.getPID() != writerPid) {
                    continue;
                }
                if (n.getParameter().equals("marker")) {
                    return payloads;
                }
                payloads.add(n.getParameter());
            }
        }
        throw new AssertionError("the marker never arrived");
    }
}
