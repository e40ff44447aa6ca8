package com.microdrama.catalogue;

/** What a viewer narrows the catalogue to; null fields do not filter. */
public record SeriesFilter(String genre, String tag, String language, Sort sort) {

    public enum Sort {
        /** Most recently published first. */
        NEW,
        /** Most watched first. */
        POPULAR
    }
}
