package com.microdrama.upload.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microdrama.core.error.Problem;
import com.microdrama.upload.UploadConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Request body limits per path. Quarkus has one global limit (quarkus.http.limits.max-body-size), which must be
 * as large as the biggest upload; this guard keeps every other endpoint small, because JSON bodies are read into
 * memory. It runs before authentication and before any byte of the body is read, and answers problem+json.
 */
@ApplicationScoped
public class BodySizeGuard {

    private static final String CLOSE_AFTER_RESPONSE = "microdrama.close-after-response";
    private static final Pattern SOURCE = Pattern.compile(EpisodeSourceResource.PATH_PATTERN);

    private final long uploadMax;
    private final long otherMax;
    private final ObjectMapper json;

    BodySizeGuard(UploadConfig config, ObjectMapper json) {
        this.uploadMax = config.maxSize().asLongValue();
        this.otherMax = config.otherEndpointsMaxBody().asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        // Before Quarkus' own limit handler (order -2), which would answer an empty 413 for anything over the
        // global limit; ours answers problem+json and is always the stricter one.
        router.route().order(-3).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        var request = ctx.request();
        boolean source = SOURCE.matcher(request.path()).matches();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long limit = source ? uploadMax : otherMax;
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                refuse(ctx, 400, "Bad Request", "Content-Length is not a number");
                return;
            }
            if (declared > limit) {
                refuse(ctx, 413, "Payload too large", source
                        ? "the file is larger than the " + human(limit) + " limit (" + declared + " bytes)"
                        : "the request body is larger than " + human(limit));
                return;
            }
        } else if (!source && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            refuse(ctx, 411, "Length required", "send a Content-Length with the request body");
            return;
        }
        if (source) {
            // An error answered before the whole body was read: close, rather than read gigabytes to keep alive.
            ctx.addHeadersEndHandler(v -> {
                if (ctx.response().getStatusCode() >= 400 && !request.isEnded()) {
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                    ctx.put(CLOSE_AFTER_RESPONSE, true);
                }
            });
            ctx.addEndHandler(done -> {
                if (Boolean.TRUE.equals(ctx.get(CLOSE_AFTER_RESPONSE))) {
                    request.connection().close();
                }
            });
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, int status, String title, String detail) {
        Problem problem = new Problem(status, title, detail, ctx.request().path(), List.of(),
                status == 413 ? Map.of("maxSize", SOURCE.matcher(ctx.request().path()).matches() ? uploadMax : otherMax)
                        : Map.of());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(done -> ctx.request().connection().close())
                .end(body);
    }

    private static String human(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes + " bytes";
    }
}
