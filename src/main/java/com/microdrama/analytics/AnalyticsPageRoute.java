package com.microdrama.analytics;

import com.microdrama.core.http.StaticPage;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The producers' analytics page is static (META-INF/resources/producer/analytics/), served at /producer/analytics/. */
@ApplicationScoped
public class AnalyticsPageRoute {

    void install(@Observes Router router) {
        StaticPage.install(router, "/producer/analytics");
    }
}
