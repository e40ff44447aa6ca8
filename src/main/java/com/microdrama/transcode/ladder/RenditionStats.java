package com.microdrama.transcode.ladder;

/** A finished rung as the master playlist and the database describe it. */
public record RenditionStats(PlannedRung rung, int bandwidth, int averageBandwidth, String codecs,
                             double frameRate, String playlistPath) {
}
