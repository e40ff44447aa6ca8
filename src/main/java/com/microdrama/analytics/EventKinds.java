package com.microdrama.analytics;

import java.util.Set;

/** The kinds of raw events: what players report, and what only the server records. */
final class EventKinds {

    static final String PLAY_START = "play_start";
    static final String PROGRESS = "progress";
    static final String COMPLETE = "complete";
    static final String LEAVE = "leave";
    static final String PAYWALL_SHOWN = "paywall_shown";
    static final String PLAYBACK_START = "playback_start";
    static final String UNLOCK = "unlock";
    static final String AD_UNLOCK = "ad_unlock";

    static final Set<String> FROM_CLIENTS = Set.of(PLAY_START, PROGRESS, COMPLETE, LEAVE, PAYWALL_SHOWN);
    static final Set<String> SERVER_ONLY = Set.of(PLAYBACK_START, UNLOCK, AD_UNLOCK);
    static final Set<String> WITH_POSITION = Set.of(PROGRESS, LEAVE);

    private EventKinds() {
    }
}
