package com.microdrama.core.error;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** RFC 9457 problem details: the one error body of the whole API. Extensions are flattened into the document. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(int status, String title, String detail, String instance, List<FieldError> errors,
                   Map<String, Object> extensions) {
        this("about:blank", title, status, detail, instance, errors, extensions);
    }

    /** A problem without field errors or extensions, the common case. */
    public Problem(int status, String title, String detail, String instance) {
        this(status, title, detail, instance, List.of(), Map.of());
    }

    @JsonAnyGetter
    Map<String, Object> flattenedExtensions() {
        return extensions;
    }

    public record FieldError(String field, String message) {
    }
}
