package com.microdrama.core.media;

/**
 * What the hardened probe found in an accepted source. Width and height are as displayed, rotation applied;
 * codedWidth/codedHeight are as stored.
 */
public record ProbeResult(String container, String videoCodec, int width, int height, int codedWidth,
                          int codedHeight, int rotation, double durationSeconds, double frameRate,
                          boolean audio, String audioCodec, Integer frames) {
}
