package com.microdrama.core.http;

import io.vertx.ext.web.Router;

/**
 * A static page served from META-INF/resources/&lt;path&gt;/: the path without its slash is redirected (the page's
 * scripts and API calls are relative to the directory), and its files are sent uncached and under a strict policy.
 */
public final class StaticPage {

    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private StaticPage() {
    }

    public static void install(Router router, String path) {
        // A regex route: a plain path route would also match the path with its slash and loop.
        router.getWithRegex(path).handler(ctx -> {
            String query = ctx.request().query();
            ctx.redirect(query == null || query.isEmpty() ? path + "/" : path + "/?" + query);
        });
        StaticPageHeaders.install(router, java.util.regex.Pattern.quote(path) + "/.*", CSP);
    }
}
