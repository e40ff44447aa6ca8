package com.microdrama.core.i18n;

import com.microdrama.core.error.ApiException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BCP 47 language tags: normalised (language lowercase, script titlecase, region uppercase: {@code pt-BR},
 * {@code zh-Hant-TW}) and negotiated against what a title offers.
 */
public final class Languages {

    /** The shape the schema accepts; {@link #normalise} checks the rest against BCP 47. */
    public static final String PATTERN = "^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$";

    private Languages() {
    }

    /** The canonical form of a tag, or 400 naming {@code field} when it is not a well-formed BCP 47 tag. */
    public static String normalise(String field, String tag) {
        if (tag == null || !tag.strip().matches(PATTERN)) {
            throw ApiException.badRequest(field, "must be a BCP 47 language tag such as en, pt-BR or zh-Hant");
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag.strip()).build();
            return locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw ApiException.badRequest(field, "is not a well-formed BCP 47 language tag: " + e.getMessage());
        }
    }

    /**
     * The best of {@code available} for what the viewer asked: {@code lang} (one tag) wins over
     * {@code acceptLanguage} (an Accept-Language header, q-values honoured). Each wanted tag, in order, is looked up
     * the RFC 4647 way (zh-Hant-TW, then zh-Hant, then zh), then any variant of its language (pt-BR finds pt-PT);
     * nothing matching gives {@code fallback}. A malformed {@code lang} is a 400; a malformed header is ignored, as
     * browsers send all sorts.
     */
    public static String negotiate(String lang, String acceptLanguage, Collection<String> available, String fallback) {
        List<String> wanted = new ArrayList<>();
        if (lang != null && !lang.isBlank()) {
            wanted.add(normalise("lang", lang));
        } else if (acceptLanguage != null && !acceptLanguage.isBlank()) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    if (range.getWeight() > 0 && !range.getRange().equals("*")) {
                        wanted.add(range.getRange());
                    }
                }
            } catch (IllegalArgumentException malformed) {
                // Treated as absent.
            }
        }
        for (String tag : wanted) {
            Optional<String> found = lookup(tag, available);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return fallback;
    }

    private static Optional<String> lookup(String wanted, Collection<String> available) {
        String candidate = wanted.toLowerCase(Locale.ROOT);
        while (!candidate.isEmpty()) {
            for (String tag : available) {
                if (tag.equalsIgnoreCase(candidate)) {
                    return Optional.of(tag);
                }
            }
            int cut = candidate.lastIndexOf('-');
            candidate = cut < 0 ? "" : candidate.substring(0, cut);
        }
        String primary = primary(wanted);
        return available.stream().filter(tag -> primary(tag).equals(primary)).findFirst();
    }

    /** The primary language subtag, lowercase: {@code pt} of {@code pt-BR}. */
    public static String primary(String tag) {
        int dash = tag.indexOf('-');
        return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
    }

    /**
     * Names already worked out: every playback start names its languages, and the JDK builds its display-name
     * formats anew on each call (3 % of a playback start's CPU, docs/benchmarks.md). Tags come from the catalogue,
     * so there are few; past {@link #NAMES_KEPT} a name is worked out each time rather than kept.
     */
    private static final Map<String, String> NATIVE_NAMES = new ConcurrentHashMap<>();
    private static final int NAMES_KEPT = 1_000;

    /** A name for a language menu, in that language itself ("Español", "português (Brasil)"). */
    public static String nativeName(String tag) {
        String name = NATIVE_NAMES.get(tag);
        if (name == null) {
            name = workOutNativeName(tag);
            if (NATIVE_NAMES.size() < NAMES_KEPT) {
                NATIVE_NAMES.put(tag, name);
            }
        }
        return name;
    }

    private static String workOutNativeName(String tag) {
        Locale locale = Locale.forLanguageTag(tag);
        String name = locale.getDisplayName(locale);
        if (name.isEmpty()) {
            return tag;
        }
        return name.substring(0, 1).toUpperCase(locale) + name.substring(1);
    }
}
