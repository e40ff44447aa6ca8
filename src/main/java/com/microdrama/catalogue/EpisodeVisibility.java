package com.microdrama.catalogue;

/**
 * When viewers see an episode, as SQL: published, a ready version, and its release time come. Computed from
 * {@code now()} in every query, so a scheduled episode appears at its instant with no process acting. The one
 * definition the catalogue's native queries share ({@link EpisodeRepository} says the same in HQL).
 */
public final class EpisodeVisibility {

    private EpisodeVisibility() {
    }

    /** The condition over the episode row named {@code alias}. */
    public static String visible(String alias) {
        return alias + ".published and " + alias + ".current_version_id is not null and (" + alias
                + ".release_at is null or " + alias + ".release_at <= now())";
    }
}
