package com.microdrama.admin.dto;

import java.util.List;

/** A page of jobs, newest first; {@code nextCursor} is null on the last page. */
public record JobPage(List<JobSummary> items, String nextCursor) {
}
