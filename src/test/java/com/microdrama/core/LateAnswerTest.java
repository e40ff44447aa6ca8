package com.microdrama.core;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request answered 503 by the request deadline whose real answer comes later: the late answer is dropped
 * quietly (a debug line), not logged as an error for every such request. With a 1 ms deadline every API request
 * that reads the database is late.
 */
@QuarkusTest
@TestProfile(LateAnswerTest.InstantDeadline.class)
class LateAnswerTest {

    static final Path LOG = Path.of("target/late-answer-test.log");

    public static class InstantDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("http.request.deadline", "1ms", "quarkus.flyway.clean-at-start", "false",
                    "transcode.worker.enabled", "false", "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString(), "quarkus.log.file.level", "INFO");
        }
    }

    @Test
    void late_answers_after_the_deadline_are_dropped_without_an_error_in_the_log() throws Exception {
        long lateBefore = Files.exists(LOG) ? Files.readString(LOG).lines().count() : 0;
        int deadlines = 0;
        for (int i = 0; i < 20; i++) {
            int status = given().get("/api/v1/series").then().extract().statusCode();
            assertThat(status).isIn(200, 503);
            if (status == 503) {
                deadlines++;
            }
        }
        assertThat(deadlines).as("answers given by the deadline").isGreaterThan(10);
        Thread.sleep(1000); // the late answers arrive after the 503s
        String log = String.join("\n", Files.readString(LOG).lines().skip(lateBefore).toList());
        assertThat(log).as("the log after the deadlines").doesNotContain("already been written")
                .doesNotContain("ERROR");
    }
}
