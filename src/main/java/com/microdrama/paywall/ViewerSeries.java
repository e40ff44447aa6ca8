package com.microdrama.paywall;

import java.util.UUID;

/** A viewer in one series: what a read of the viewer's unlocks there (and VIP pass) asks. */
record ViewerSeries(String viewerId, UUID seriesId) {
}
