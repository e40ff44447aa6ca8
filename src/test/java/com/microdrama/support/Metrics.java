package com.microdrama.support;

import static io.restassured.RestAssured.given;

/** Reads the app's own Prometheus endpoint, as a scraper would. */
public final class Metrics {

    private Metrics() {
    }

    /** The current value of one series, e.g. {@code unlocks_total{kind="coins"}}; 0 before it first counts. */
    public static double value(String series) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
