package com.microdrama.upload.tracks;

/** One subtitle cue, times in milliseconds from the episode's start; {@code text} is sanitised WebVTT markup. */
public record Cue(String id, long startMs, long endMs, String settings, String text) {
}
