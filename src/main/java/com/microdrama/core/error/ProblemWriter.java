package com.microdrama.core.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@link ProblemMapper}'s answer for the plain Vert.x routes (the body-size guard, the worker-only gate, the HLS
 * playlists), which run outside the REST layer: the same {@link Problem}, serialised by the same ObjectMapper, so a
 * client cannot tell which layer refused it.
 */
@ApplicationScoped
public class ProblemWriter {

    private static final CharSequence PROBLEM_TYPE = HttpHeaders.createOptimized(Problem.MEDIA_TYPE);

    private final ObjectMapper json;

    ProblemWriter(ObjectMapper json) {
        this.json = json;
    }

    /** Ends the response with the problem for any failure, exactly as a resource throwing it would answer. */
    public void fail(RoutingContext ctx, Throwable failure) {
        String path = ctx.request().path();
        ApiException answer = failure instanceof ApiException api ? api : Unavailable.of(failure, path);
        if (answer == null) {
            send(ctx.response(), ProblemMapper.toProblem(failure, path));
            return;
        }
        if (answer.retryAfterSeconds() != null) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
        }
        send(ctx.response(), answer.toProblem(path));
    }

    /** Ends the response with this problem; headers the caller set before (such as Connection) are kept. */
    public void send(HttpServerResponse response, Problem problem) {
        response.setStatusCode(problem.status());
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException unserialisableExtension) {
            response.end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_TYPE).end(Buffer.buffer(body));
    }
}
