package com.microdrama.paywall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microdrama.support.Db;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V4 on a database that already holds unlocks: each gets its episode's series and number, and both are required. */
@QuarkusTest
class UnlockBackfillMigrationTest {

    private static final String SCHEMA = "v4_backfill";

    @Inject
    AgroalDataSource db;

    @Test
    void existing_unlocks_are_backfilled_from_their_episodes() throws SQLException {
        run("drop schema if exists " + SCHEMA + " cascade");
        try {
            migrateTo("3");
            UUID series = UUID.randomUUID();
            UUID episode = UUID.randomUUID();
            run("insert into series (id, slug, title, language, producer_id) values ('" + series + "', 'old', 'Old', 'en', 'p')",
                    "insert into episode (id, series_id, number) values ('" + episode + "', '" + series + "', 7)",
                    "insert into unlock (viewer_id, episode_id, method) values ('v', '" + episode + "', 'grant')");
            migrateTo("4");

            assertThat(Db.row(db, "select series_id, episode_number from " + SCHEMA + ".unlock"))
                    .containsEntry("series_id", series).containsEntry("episode_number", 7);
            assertThatThrownBy(() -> run("insert into unlock (viewer_id, episode_id, method) values ('w', '" + episode + "', 'grant')"))
                    .hasMessageContaining("null value");
        } finally {
            run("drop schema if exists " + SCHEMA + " cascade");
        }
    }

    private void migrateTo(String version) {
        Flyway.configure().dataSource(db).schemas(SCHEMA).locations("classpath:db/migration").target(version).load().migrate();
    }

    /** In one transaction, so the search path is not left on the pooled connection even when a statement fails. */
    private void run(String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("set local search_path to " + SCHEMA);
                for (String statement : statements) {
                    s.execute(statement);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
