package com.microdrama.demo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DemoSeederTest {

    @Inject
    DemoSeeder seeder;
    @Inject
    DemoConfig config;
    @Inject
    ObjectStorage storage;
    @Inject
    AgroalDataSource db;

    @Test
    void seeds_one_demo_series_whose_episodes_become_playable_through_the_real_pipeline() throws Exception {
        seeder.seedOnce();
        seeder.seedOnce();

        List<String> demo = given().queryParam("tag", "demo").get("/api/v1/series").then().statusCode(200)
                .extract().jsonPath().getList("items.slug", String.class);
        assertThat(demo).containsExactly(DemoSeeder.SLUG);

        JsonPath episodes = null;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            episodes = given().get("/api/v1/series/" + DemoSeeder.SLUG + "/episodes").then().statusCode(200)
                    .extract().jsonPath();
            if (episodes.getList("number").size() == config.episodes()) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(episodes.getList("number", Integer.class)).containsExactly(1, 2);
        assertThat(episodes.getList("title", String.class)).containsExactly("Episode 1", "Episode 2");
        assertThat(episodes.getList("lock", String.class)).containsOnly("free");
        given().redirects().follow(false).get(episodes.getString("[0].posterUrl")).then().statusCode(302);

        // The store loses the first episode's media (a fresh local store beside this database, a wiped bucket):
        // the next start uploads that episode again, and it plays from the new version.
        UUID first = UUID.fromString(episodes.getString("[0].id"));
        UUID lost = currentVersion(first);
        storage.delete(storage.list("hls/" + first + "/" + lost + "/"));
        assertThat(seeder.reseedMissingMedia()).as("episodes sent again").isEqualTo(1);
        assertThat(seeder.reseedMissingMedia()).as("not again while the new version is in the pipeline").isZero();
        UUID replaced = lost;
        while (replaced.equals(lost) && System.nanoTime() < deadline + 120_000_000_000L) {
            Thread.sleep(250);
            replaced = currentVersion(first);
        }
        assertThat(replaced).as("a new current version").isNotEqualTo(lost);
        String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        String master = Api.as(viewer).get("/api/v1/episodes/" + first + "/playback").then().statusCode(200)
                .extract().path("masterUrl");
        given().get(master).then().statusCode(200);
        assertThat(seeder.reseedMissingMedia()).as("nothing missing any more").isZero();
    }

    private UUID currentVersion(UUID episodeId) {
        return (UUID) Db.row(db, "select current_version_id from episode where id = ?", episodeId)
                .get("current_version_id");
    }
}
