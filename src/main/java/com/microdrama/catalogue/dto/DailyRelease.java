package com.microdrama.catalogue.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/**
 * "One a day at {@code at} in {@code zone} from episode {@code fromEpisode}": episode N on {@code startDate}, N+1
 * the day after, and so on (local time, so 20:00 stays 20:00 across daylight-saving changes). Without a start date
 * the first day whose {@code at} is still ahead.
 */
public record DailyRelease(
        @NotNull @Min(1) @Max(10000) Integer fromEpisode,
        @NotNull @Pattern(regexp = "^([01]\\d|2[0-3]):[0-5]\\d$", message = "must be a time of day as HH:MM") String at,
        @NotNull @Size(max = 64) String zone,
        LocalDate startDate) {
}
