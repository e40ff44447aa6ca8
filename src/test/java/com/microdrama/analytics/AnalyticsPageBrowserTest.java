package com.microdrama.analytics;

import com.microdrama.core.auth.Roles;
import com.microdrama.paywall.AdRewardService;
import com.microdrama.support.BrowserScript;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The producers' analytics page in a real browser (src/test/browser/analytics.mjs) over the scripted viewers'
 * rollups: the funnel, the drop-off charts and the CSV show exactly what ScriptedViewersTest counts.
 */
@QuarkusTest
class AnalyticsPageBrowserTest {

    @Inject
    AgroalDataSource db;
    @Inject
    AdRewardService ads;
    @Inject
    RollupJob rollups;
    @TestHTTPResource("/")
    URL base;

    @Test
    void a_producer_reads_the_funnel_and_drop_off_of_their_series_and_downloads_the_csv() throws Exception {
        ScriptedViewers script = new ScriptedViewers(db, ads);
        script.watch();
        rollups.catchUp();
        Files.deleteIfExists(BrowserScript.OUT.resolve("analytics.png"));

        BrowserScript.run("analytics.mjs", Map.of(
                "BASE_URL", base.toString().replaceAll("/+$", ""),
                "PRODUCER_TOKEN", script.producer,
                "VIEWER_TOKEN", Tokens.of(Roles.VIEWER, "viewer-page"),
                "SERIES_ID", script.series.id(),
                "FUNNEL", "1:4,2:2,3:1",
                "DROPOFF", "1:1 1 0 0 0 0 0 0 0 0;2:0 0 0 0 0 0 0 0 0 1;3:0 0 0 1 0 0 0 0 0 0",
                "CSV_START", "1," + script.ep(1) + ",5,4,4,2,0.5,0.5263,"), Media.tempDir(), 3);

        BrowserScript.assertPng(BrowserScript.OUT.resolve("analytics.png"), 1440, 900, 20_000);
    }
}
