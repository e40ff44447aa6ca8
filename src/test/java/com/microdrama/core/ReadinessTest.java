package com.microdrama.core;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.support.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness follows the database and the object storage: down while either is unreachable, up once it is back. */
@QuarkusTest
@TestProfile(ReadinessTest.ThroughProxies.class)
@WithTestResource(ReadinessTest.Proxies.class)
class ReadinessTest {

    static TcpProxy database;
    static TcpProxy storage;

    public static class ThroughProxies implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // No workers: they would only add noise while the database is cut.
            return Map.of("quarkus.flyway.clean-at-start", "false", "transcode.worker.enabled", "false");
        }
    }

    public static class Proxies implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            URI s3 = URI.create(System.getenv().getOrDefault("S3_ENDPOINT", "http://127.0.0.1:9100"));
            storage = new TcpProxy(s3.getHost(), s3.getPort()).start();
            database = new TcpProxy(System.getenv().getOrDefault("DB_HOST", "127.0.0.1"),
                    Integer.parseInt(System.getenv().getOrDefault("DB_PORT", "5432"))).start();
            String db = "127.0.0.1:" + database.port() + "/${db.name}";
            return Map.of("storage.endpoint", "http://127.0.0.1:" + storage.port(),
                    "quarkus.datasource.reactive.url", "postgresql://" + db,
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + db);
        }

        @Override
        public void stop() {
            storage.cut();
            database.cut();
        }
    }

    @Test
    void storage_outage_fails_readiness_until_it_returns() {
        ready();
        storage.cut();
        try {
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'object-storage' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("UP"));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            storage.restore();
        }
        ready();
    }

    @Test
    void database_outage_fails_readiness_until_it_returns() {
        ready();
        database.cut();
        try {
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'object-storage' }.status", equalTo("UP"));
        } finally {
            database.restore();
        }
        ready();
    }

    private static void ready() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (given().get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            sleep();
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
