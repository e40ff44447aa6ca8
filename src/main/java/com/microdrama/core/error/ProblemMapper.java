package com.microdrama.core.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one error path: every failure leaves the API as application/problem+json, never as a stack trace. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return respond(e, path(uri));
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(new Problem(400, "Invalid request", detail, path(uri), errors, Map.of()));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    /** Declared apart so that it replaces Quarkus' built-in mapper for this type, which answers plain JSON. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorized(path(uri), "A valid bearer token is required");
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(path(uri), "The bearer token is invalid or expired");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(new Problem(403, "Forbidden", "Your role does not allow this operation", path(uri)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return respond(jsonProblem(json, path(uri)));
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = switch (status.getStatusCode()) {
            case 404 -> "Nothing is served at " + path(uri);
            case 405 -> "This method is not allowed on " + path(uri);
            case 415 -> "Unsupported content type; send application/json";
            default -> e.getMessage();
        };
        return respond(new Problem(status.getStatusCode(), status.getReasonPhrase(), detail, path(uri)));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri, io.vertx.core.http.HttpServerRequest request) {
        if (e instanceof IllegalStateException && request.response().ended()) {
            // The request deadline answered 503 already; this is the late answer, which has nowhere to go.
            Log.debugf("Late answer on %s dropped: %s", path(uri), e.getMessage());
            return respond(new Problem(503, "Service unavailable", "answered already", path(uri)));
        }
        ApiException outage = Unavailable.of(e, path(uri));
        return outage != null ? respond(outage, path(uri)) : respond(toProblem(e, path(uri)));
    }

    private static Response respond(ApiException e, String instance) {
        Response response = respond(e.toProblem(instance));
        if (e.retryAfterSeconds() != null) {
            response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return response;
    }

    /** The problem document for any failure; also used by the few routes that are not JAX-RS resources. */
    public static Problem toProblem(Throwable e, String instance) {
        if (e instanceof ApiException api) {
            return api.toProblem(instance);
        }
        ApiException outage = Unavailable.of(e, instance);
        if (outage != null) {
            return outage.toProblem(instance);
        }
        PgException pg = DatabaseErrors.find(e);
        if (pg != null && DatabaseErrors.isClientError(pg)) {
            return DatabaseErrors.toProblem(pg, instance);
        }
        String reference = UUID.randomUUID().toString();
        Log.errorf(e, "Unhandled error %s on %s", reference, instance);
        return new Problem(500, "Internal error",
                "Something went wrong on our side; quote reference " + reference, instance);
    }

    private static Response unauthorized(String instance, String detail) {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(401, "Unauthorized", detail, instance))
                .build();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static Problem jsonProblem(JsonProcessingException e, String instance) {
        if (e instanceof JsonParseException || !(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return new Problem(400, "Malformed JSON", "The request body is not valid JSON" + where, instance);
        }
        String field = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String message = e.getOriginalMessage().split("\n")[0];
        if (message.startsWith("Cannot deserialize value of type")) {
            message = "has the wrong type";
        } else if (message.startsWith("Unrecognized field")) {
            message = "is not a known field";
        }
        return new Problem(400, "Invalid request", field + ": " + message, instance,
                List.of(new Problem.FieldError(field, message)), Map.of());
    }

    /** Bean Validation paths look like {@code create.request.title}: the client only knows {@code title}. */
    private static String fieldName(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                names.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
            }
        }
        if (names.isEmpty()) {
            return parameter == null ? "request" : parameter;
        }
        return String.join(".", names);
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
