package com.microdrama.admin;

import com.microdrama.core.http.StaticPageHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The operators' dashboard is static (META-INF/resources/admin/), served at /admin/. Its scripts and the API calls
 * are relative to that directory, so /admin without the slash is redirected rather than served as is.
 */
@ApplicationScoped
public class AdminPageRoute {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    void install(@Observes Router router) {
        // A regex route: a plain "/admin" path route would also match "/admin/" and loop.
        router.getWithRegex("/admin").handler(ctx -> {
            String query = ctx.request().query();
            ctx.redirect(query == null || query.isEmpty() ? "/admin/" : "/admin/?" + query);
        });
        // The page shows ffmpeg output, so it gets a strict policy (the same as its <meta>, plus framing).
        StaticPageHeaders.install(router, "/admin/.*", CSP);
    }
}
