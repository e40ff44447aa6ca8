package com.microdrama.demo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DemoSeederTest {

    @Inject
    DemoSeeder seeder;
    @Inject
    DemoConfig config;

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
    }
}
