package com.microdrama.core.error;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure the client can act on. Thrown anywhere below a resource and rendered once, by {@link ProblemMapper},
 * as RFC 9457 {@code application/problem+json}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors;
    }

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "Invalid request", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(404, "Not found", what + " '" + id + "' does not exist");
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    /** Adds a machine-readable member to the problem document (for example a balance or a price). */
    public ApiException with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    /** Adds a response header the client acts on (for example {@code Retry-After} on a 429). */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Problem toProblem(String instance) {
        return new Problem(status, title, getMessage(), instance, errors, extensions);
    }

    public int status() {
        return status;
    }
}
