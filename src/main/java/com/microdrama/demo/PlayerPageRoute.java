package com.microdrama.demo;

import com.microdrama.core.http.StaticPageHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The reference H5 player is static (META-INF/resources/index.html and player/), served at /; hls.js comes from
 * the versioned vendor/ directory and keeps Quarkus' long caching. The API and storage may be on other origins
 * (the page's {@code ?api=}), so the policy allows any http(s) endpoint for data but only this origin for code.
 */
@ApplicationScoped
public class PlayerPageRoute {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' http: https:; "
            + "media-src 'self' blob:; worker-src blob:; img-src 'self' http: https: data:; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    void install(@Observes Router router) {
        StaticPageHeaders.install(router, "/(index\\.html)?|/player/.*", CSP);
    }
}
