package com.microdrama.transcode;

/** What the worker needs to know of a source: its displayed size (rotation applied), rate, length, audio. */
public record SourceFacts(int width, int height, double frameRate, double durationSeconds, boolean audio) {
}
