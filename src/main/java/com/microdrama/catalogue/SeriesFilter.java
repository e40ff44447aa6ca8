package com.microdrama.catalogue;

/**
 * What a viewer narrows the catalogue to; null fields do not filter. {@code audio} matches the series' own language
 * or a dub, {@code subtitles} a subtitle track, each on at least one playable episode; {@code pt} matches pt-BR too.
 */
public record SeriesFilter(String genre, String tag, String language, Sort sort, String audio, String subtitles) {

    public SeriesFilter(String genre, String tag, String language, Sort sort) {
        this(genre, tag, language, sort, null, null);
    }

    public enum Sort {
        /** Most recently published first. */
        NEW,
        /** Most watched first. */
        POPULAR
    }
}
