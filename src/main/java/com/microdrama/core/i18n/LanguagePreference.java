package com.microdrama.core.i18n;

import java.util.Collection;

/** What a viewer asked for: {@code ?lang=} (wins) or the Accept-Language header; either may be absent. */
public record LanguagePreference(String lang, String acceptLanguage) {

    public LanguagePreference {
        if (lang != null && !lang.isBlank()) {
            lang = Languages.normalise("lang", lang);
        }
    }

    public static LanguagePreference none() {
        return new LanguagePreference(null, null);
    }

    /** The best of {@code available}, or {@code fallback} (the title's default language). */
    public String pick(Collection<String> available, String fallback) {
        return Languages.negotiate(lang, acceptLanguage, available, fallback);
    }
}
