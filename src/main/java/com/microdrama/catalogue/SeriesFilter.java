package com.microdrama.catalogue;

import java.util.List;
import java.util.Locale;

/**
 * What a viewer narrows the catalogue to; null fields do not filter. {@code audio} matches the series' own language
 * or a dub, {@code subtitles} a subtitle track, each on at least one playable episode; {@code pt} matches pt-BR too.
 * {@code anyLanguage}: primary subtags, any of which the series' language has (empty: no filter).
 */
public record SeriesFilter(String genre, String tag, String language, Sort sort, String audio, String subtitles,
                           List<String> anyLanguage) {

    public SeriesFilter(String genre, String tag, String language, Sort sort) {
        this(genre, tag, language, sort, null, null, List.of());
    }

    public SeriesFilter(String genre, String tag, String language, Sort sort, String audio, String subtitles) {
        this(genre, tag, language, sort, audio, subtitles, List.of());
    }

    /** Series in any of {@code languages}, matched on their primary subtag as trending matches them (en: en-GB too). */
    public static SeriesFilter newIn(List<String> languages) {
        return new SeriesFilter(null, null, null, Sort.NEW, null, null, languages.stream()
                .map(tag -> tag.split("-", 2)[0].toLowerCase(Locale.ROOT)).distinct().toList());
    }

    public enum Sort {
        /** Most recently published first. */
        NEW,
        /** Most watched first. */
        POPULAR
    }
}
