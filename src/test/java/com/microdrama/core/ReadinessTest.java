package com.microdrama.core;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.support.FaultProxies;
import com.microdrama.support.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness follows the database and the object storage: down while either is unreachable, up once it is back. */
@QuarkusTest
@TestProfile(FaultProxies.NoWorkers.class)
@WithTestResource(ReadinessTest.Proxies.class)
class ReadinessTest {

    static TcpProxy database;
    static TcpProxy storage;

    public static class Proxies implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            storage = FaultProxies.storage();
            database = FaultProxies.database();
            Map<String, String> settings = new java.util.HashMap<>(FaultProxies.storageSettings(storage));
            settings.putAll(FaultProxies.databaseSettings(database));
            return settings;
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
