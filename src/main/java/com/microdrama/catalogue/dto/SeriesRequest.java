package com.microdrama.catalogue.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Create (every required field present) or partial update (null leaves a field as it is) of a series.
 * The same limits as the schema's check constraints, so a client hears about a bad field before the database does.
 */
public record SeriesRequest(
        @Pattern(regexp = SLUG, message = "must be lowercase letters, digits and single hyphens")
        @Size(max = 80) String slug,
        @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String title,
        @Size(max = 4000) String synopsis,
        @Pattern(regexp = LANGUAGE, message = "must be a language tag such as en or pt-BR") String language,
        @Size(max = 10) List<@NotBlank @Size(max = 40) String> genres,
        @Size(max = 30) List<@NotBlank @Size(max = 40) String> tags,
        @Min(0) @Max(10000) Integer freeEpisodeCount,
        @Min(0) @Max(100000) Integer coinPrice) {

    public static final String SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$";
    public static final String LANGUAGE = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$";
}
