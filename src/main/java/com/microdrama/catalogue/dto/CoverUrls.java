package com.microdrama.catalogue.dto;

/**
 * A series' cover in its two shapes: 3:4 for grids and rails, 9:16 full screen. The URLs name the image's digest,
 * so they never change while the cover stays the same and may be cached for a year; null when there is no cover.
 */
public record CoverUrls(String portrait3x4, String fullScreen9x16) {

    /** {@code coverKey} is the series' stored cover prefix, {@code covers/<series>/<digest>}. */
    public static CoverUrls of(String coverKey) {
        if (coverKey == null) {
            return null;
        }
        String base = "/api/v1/" + coverKey;
        return new CoverUrls(base + "/3x4.jpg", base + "/9x16.jpg");
    }
}
