package com.microdrama.catalogue;

import com.microdrama.core.i18n.LanguagePreference;
import java.util.ArrayList;
import java.util.List;

/**
 * A series' title and synopsis in the language negotiated for the viewer, which that language is, and every
 * language the text exists in (the default first).
 */
public record LocalisedText(String language, String title, String synopsis, List<String> languages) {

    /** The series' own text, where no language is negotiated (search, rail and feed cards). */
    public static LocalisedText untranslated(Series s) {
        return new LocalisedText(s.language, s.title, s.synopsis, List.of(s.language));
    }

    static LocalisedText of(Series s, List<SeriesTranslation> translations, LanguagePreference wanted) {
        List<String> available = new ArrayList<>();
        available.add(s.language);
        translations.forEach(t -> available.add(t.language));
        String chosen = wanted.pick(available, s.language);
        return translations.stream().filter(t -> t.language.equals(chosen)).findFirst()
                .map(t -> new LocalisedText(t.language, t.title, t.synopsis.isEmpty() ? s.synopsis : t.synopsis, available))
                .orElseGet(() -> new LocalisedText(s.language, s.title, s.synopsis, available));
    }
}
