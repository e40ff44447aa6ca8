package com.microdrama.upload.tracks;

import com.microdrama.core.error.ApiException;
import java.util.List;

/** A subtitle file that cannot be served, with the line (1-based; 0 when the whole file is at fault) and why. */
public class SubtitleRejected extends RuntimeException {

    private final int line;

    SubtitleRejected(int line, String problem) {
        super(problem, null, false, false);
        this.line = line;
    }

    public int line() {
        return line;
    }

    public String problem() {
        return getMessage();
    }

    /** 422 problem+json naming the line and the problem. */
    public ApiException toApi() {
        String where = line > 0 ? "line " + line : "file";
        return new ApiException(422, "Subtitles refused", where + ": " + problem(),
                List.of(new com.microdrama.core.error.Problem.FieldError(where, problem()))).with("line", line);
    }
}
