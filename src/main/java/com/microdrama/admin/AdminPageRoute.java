package com.microdrama.admin;

import com.microdrama.core.http.StaticPage;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The operators' dashboard is static (META-INF/resources/admin/), served at /admin/. The page shows ffmpeg output,
 * so it gets a strict policy (the same as its &lt;meta&gt;, plus framing).
 */
@ApplicationScoped
public class AdminPageRoute {

    void install(@Observes Router router) {
        StaticPage.install(router, "/admin");
    }
}
