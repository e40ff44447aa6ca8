package com.microdrama.core.media;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What the hardened probe found in an accepted source. Width and height are as displayed, rotation applied;
 * codedWidth/codedHeight are as stored.
 */
public record ProbeResult(String container, String videoCodec, int width, int height, int codedWidth,
                          int codedHeight, int rotation, double durationSeconds, double frameRate,
                          boolean audio, @Schema(nullable = true) String audioCodec, @Schema(nullable = true) Integer frames) {
}
