package com.microdrama.admin.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

/** A page of jobs, newest first; {@code nextCursor} is null on the last page. */
public record JobPage(List<JobSummary> items, @Schema(nullable = true) String nextCursor) {
}
