package com.microdrama.core;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void readiness_covers_database_redis_storage_and_ffmpeg() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("object-storage", "ffmpeg"))
                .body("checks.name.toString()", containsString("Redis"))
                .body("checks.name.toString()", containsString("Database"));
    }

    @Test
    void metrics_and_api_docs_are_served() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/series"))
                .body(containsString("/api/v1/producer/series"))
                .body(containsString("/api/v1/playback/{version}/master.m3u8"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void unknown_paths_answer_problem_json() {
        given().get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
