package com.microdrama.analytics;

import static com.microdrama.analytics.Viewing.event;
import static com.microdrama.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.microdrama.core.auth.Roles;
import com.microdrama.paywall.AdRewardService;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Five scripted viewers ({@link ScriptedViewers}) watch, leave, see the paywall and unlock; the rollups, the funnel,
 * the CSV and the index must come out exactly as counted by hand below.
 */
@QuarkusTest
class ScriptedViewersTest {

    @Inject
    AgroalDataSource db;
    @Inject
    RollupJob rollups;
    @Inject
    DistributionIndex index;
    @Inject
    AdRewardService ads;

    private ScriptedViewers script;
    private String producer;

    @BeforeEach
    void viewers() {
        script = new ScriptedViewers(db, ads);
        producer = script.producer;
    }

    private String ep(int number) {
        return script.ep(number);
    }

    private void watch() {
        script.watch();
        rollups.catchUp();
    }

    private JsonPath analytics() {
        return script.analytics();
    }

    @Test
    void the_scripted_viewers_give_exactly_the_counted_rollups_funnel_and_daily_totals() {
        watch();
        JsonPath a = analytics();

        assertThat(a.getList("episodes.number", Integer.class)).containsExactly(1, 2, 3);
        // Episode 1: plays v1, v2, v3, v4 twice; starters v1-v4; completed v1, v3; shares 1, .105, 1, 0;
        // v2 stopped in 10-20%, v4 in 0-10%; v1 and v3 went on to episode 2.
        assertEpisode(a, 0, 5, 4, 4, 2, 0.5, 0.5263, List.of(1L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), 2, 0.5);
        // Episode 2: plays v1, v3, v5; completed v1, v5; v3 stopped in 90-100%; v1 went on to 3.
        assertEpisode(a, 1, 3, 3, 3, 2, 0.6667, 0.9667, List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L), 1, 0.3333);
        // Episode 3: v1 played it (after paying) and left at 30%.
        assertEpisode(a, 2, 1, 1, 1, 0, 0.0, 0.3, List.of(0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L), 0, 0.0);
        // The paywall at 3: shown to v1 and v3, v1 paid 30 coins; v5's ad unlock is an unlock without coins.
        assertThat(a.getList("episodes.paywallShown", Long.class)).containsExactly(0L, 0L, 2L);
        assertThat(a.getList("episodes.paywallConverted", Long.class)).containsExactly(0L, 0L, 1L);
        assertThat(a.getList("episodes.paywallConversion", Double.class)).containsExactly(0.0, 0.0, 0.5);
        assertThat(a.getList("episodes.unlocks", Long.class)).containsExactly(0L, 0L, 2L);
        assertThat(a.getList("episodes.coins", Long.class)).containsExactly(0L, 0L, 30L);
        assertThat(a.getList("episodes.adUnlocks", Long.class)).containsExactly(0L, 0L, 1L);

        // Funnel: v1-v4 started episode 1; v1 and v3 reached 2 (v5 came in at 2: not counted); v1 reached 3 and paid.
        assertThat(a.getLong("funnel.startedFirst")).isEqualTo(4);
        assertThat(a.getList("funnel.steps.reached", Long.class)).containsExactly(4L, 2L, 1L);
        assertThat(a.getList("funnel.steps.share", Double.class)).containsExactly(1.0, 0.5, 0.25);
        assertThat(a.getInt("funnel.firstLockedEpisode")).isEqualTo(3);
        assertThat(a.getLong("funnel.paidAtFirstLocked")).isEqualTo(1);
        assertThat(a.getDouble("funnel.paidShare")).isEqualTo(0.25);

        // Daily: whatever day each fell on, 9 plays by 5 viewers, 8 starters, 4 completions, 2 unlocks, 30 coins.
        List<Map<String, Object>> days = a.getList("daily");
        assertThat(days.stream().mapToLong(d -> ((Number) d.get("views")).longValue()).sum()).isEqualTo(9);
        assertThat(days.stream().mapToLong(d -> ((Number) d.get("starters")).longValue()).sum()).isEqualTo(8);
        assertThat(days.stream().mapToLong(d -> ((Number) d.get("completions")).longValue()).sum()).isEqualTo(4);
        assertThat(days.stream().mapToLong(d -> ((Number) d.get("coins")).longValue()).sum()).isEqualTo(30);
        if (days.size() == 1) {
            assertThat(((Number) days.get(0).get("uniqueViewers")).longValue()).isEqualTo(5);
        }
        assertThat(a.getString("uniqueViewersError")).contains("0.81%");

        // The hourly rollups hold the same totals as the daily ones.
        Map<String, Object> hours = Db.row(db, """
                select sum(views) as views, sum(starters) as starters, sum(coins) as coins from analytics_rollup
                where series_id = ? and grain = 'hour'
                """, UUID.fromString(script.series.id()));
        assertThat(hours).containsEntry("views", java.math.BigDecimal.valueOf(9))
                .containsEntry("starters", java.math.BigDecimal.valueOf(8)).containsEntry("coins", java.math.BigDecimal.valueOf(30));
    }

    private static void assertEpisode(JsonPath a, int row, long views, long unique, long starters, long completions,
                                      double completionRate, double share, List<Long> dropoff, long continued,
                                      double continueRate) {
        String p = "episodes[" + row + "].";
        assertThat(a.getLong(p + "views")).as(p + "views").isEqualTo(views);
        assertThat(a.getLong(p + "uniqueViewers")).as(p + "uniqueViewers").isEqualTo(unique);
        assertThat(a.getLong(p + "starters")).as(p + "starters").isEqualTo(starters);
        assertThat(a.getLong(p + "completions")).as(p + "completions").isEqualTo(completions);
        assertThat(a.getDouble(p + "completionRate")).as(p + "completionRate").isEqualTo(completionRate);
        assertThat(a.getDouble(p + "averageShareWatched")).as(p + "averageShareWatched").isEqualTo(share);
        assertThat(a.getList(p + "dropoff", Long.class)).as(p + "dropoff").isEqualTo(dropoff);
        assertThat(a.getLong(p + "continued")).as(p + "continued").isEqualTo(continued);
        assertThat(a.getDouble(p + "continueRate")).as(p + "continueRate").isEqualTo(continueRate);
    }

    @Test
    void resent_events_and_a_replayed_unlock_count_once_and_a_late_position_moves_the_drop_off() {
        watch();
        script.send(1, script.firstViewersBatch);
        as(script.tokens[1]).header("Idempotency-Key", script.firstViewersUnlockKey).post("/api/v1/episodes/" + ep(3) + "/unlock")
                .then().statusCode(200);
        // Viewer 2's phone sends a position it had buffered: 45 s of episode 1 (50%).
        script.send(2, List.of(event(UUID.randomUUID().toString(), "progress", ep(1), Instant.now().minusSeconds(60), 45.0)));
        rollups.catchUp();
        rollups.catchUp();

        JsonPath a = analytics();
        assertThat(a.getList("episodes.views", Long.class)).containsExactly(5L, 3L, 1L);
        assertThat(a.getList("episodes.starters", Long.class)).containsExactly(4L, 3L, 1L);
        assertThat(a.getList("episodes.completions", Long.class)).containsExactly(2L, 2L, 0L);
        assertThat(a.getList("episodes.unlocks", Long.class)).containsExactly(0L, 0L, 2L);
        assertThat(a.getList("episodes.coins", Long.class)).containsExactly(0L, 0L, 30L);
        assertThat(a.getList("funnel.steps.reached", Long.class)).containsExactly(4L, 2L, 1L);
        // Shares 1, .5, 1, 0; v2 moved from 10-20% to 50-60%.
        assertThat(a.getDouble("episodes[0].averageShareWatched")).isEqualTo(0.625);
        assertThat(a.getList("episodes[0].dropoff", Long.class)).containsExactly(1L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L);
        assertThat((Long) Db.row(db, "select count(*) as n from analytics_event where viewer_id = ? and kind = 'unlock'",
                script.ids[1]).get("n")).isEqualTo(1);
    }

    @Test
    void the_per_episode_table_comes_as_csv_by_accept_header_or_format() {
        watch();
        String path = "/api/v1/producer/series/" + script.series.id() + "/analytics";
        String csv = as(producer).accept("text/csv").get(path).then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("episode_number,episode_id,views,unique_viewers,starters,completions,")
                .endsWith(",dropoff_90_100");
        assertThat(lines.get(1)).startsWith("1," + ep(1) + ",5,4,4,2,0.5,0.5263,2,0.5,0,0,0.0,0,0,0,1,1,0,");
        assertThat(lines.get(3)).startsWith("3," + ep(3) + ",1,1,1,0,0.0,0.3,0,0.0,2,1,0.5,2,30,1,");
        assertThat(as(producer).queryParam("format", "csv").get(path).then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString()).isEqualTo(csv);
        as(producer).queryParam("format", "xml").get(path).then().statusCode(400).body("errors[0].field", equalTo("format"));
        as(producer).queryParam("from", "yesterday").get(path).then().statusCode(400).body("errors[0].field", equalTo("from"));
    }

    @Test
    void a_producer_cannot_read_another_producers_analytics() {
        String path = "/api/v1/producer/series/" + script.series.id() + "/analytics";
        String other = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        as(other).get(path).then().statusCode(403).contentType("application/problem+json");
        as(other).queryParam("format", "csv").get(path).then().statusCode(403);
        as(script.tokens[1]).get(path).then().statusCode(403);
        given().get(path).then().statusCode(401);
        as(producer).get("/api/v1/producer/series/" + UUID.randomUUID() + "/analytics").then().statusCode(404);
        as(producer).get(path).then().statusCode(200);
    }

    @Test
    void the_distribution_index_shows_its_components_to_the_producer_and_ranks_series_for_operators() {
        watch();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        index.compute(today).await().indefinitely();

        // reach 4 (started episode 1) -> log10(5)/6 = .1165; completion 4/8; continuation 3/8; conversion 1/2;
        // 100 × (.4 × .116495 + .2 × .5 + .2 × .375 + .2 × .5) = 32.1598.
        JsonPath a = analytics();
        assertThat(a.getString("distributionIndex.day")).isEqualTo(today.toString());
        assertThat(a.getLong("distributionIndex.reach")).isEqualTo(4);
        assertThat(a.getDouble("distributionIndex.reachScore")).isEqualTo(0.1165);
        assertThat(a.getDouble("distributionIndex.completion")).isEqualTo(0.5);
        assertThat(a.getDouble("distributionIndex.continuation")).isEqualTo(0.375);
        assertThat(a.getDouble("distributionIndex.conversion")).isEqualTo(0.5);
        assertThat(a.getDouble("distributionIndex.score")).isEqualTo(32.1598);

        JsonPath ranking = as(Tokens.of(Roles.OPERATOR, "ops-1")).queryParam("day", today.toString())
                .get("/api/v1/admin/analytics/distribution-index").then().statusCode(200).extract().jsonPath();
        List<Double> scores = ranking.getList("score", Double.class);
        assertThat(scores).isSortedAccordingTo((x, y) -> Double.compare(y, x));
        int mine = ranking.getList("seriesId", String.class).indexOf(script.series.id());
        assertThat(mine).isNotNegative();
        assertThat(ranking.getInt("[" + mine + "].rank")).isEqualTo(a.getInt("distributionIndex.rank"));
        as(producer).get("/api/v1/admin/analytics/distribution-index").then().statusCode(403);
    }
}
