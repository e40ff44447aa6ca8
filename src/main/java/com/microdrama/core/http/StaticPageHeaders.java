package com.microdrama.core.http;

import io.vertx.ext.web.Router;

/**
 * Headers for the app's static pages (META-INF/resources). Quarkus marks static files immutable for a day, which
 * would leave browsers on yesterday's scripts after a deploy; each page also states its own content policy.
 */
public final class StaticPageHeaders {

    private StaticPageHeaders() {
    }

    /** Revalidated on every load, with {@code csp} as the page's Content-Security-Policy, for paths matching the regex. */
    public static void install(Router router, String pathRegex, String csp) {
        router.routeWithRegex(pathRegex).order(Integer.MIN_VALUE + 1).handler(ctx -> {
            ctx.addHeadersEndHandler(v -> ctx.response().headers()
                    .set("Cache-Control", "no-cache")
                    .set("Content-Security-Policy", csp)
                    .set("X-Content-Type-Options", "nosniff")
                    .set("Referrer-Policy", "no-referrer"));
            ctx.next();
        });
    }
}
