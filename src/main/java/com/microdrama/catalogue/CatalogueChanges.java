package com.microdrama.catalogue;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import com.microdrama.core.persistence.PostgresPool;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Catalogue facts that the viewer hot paths keep in memory ({@link Fresh} caches), and when they stop being true.
 * PostgreSQL announces every committed change of a series, an episode, a track or a translation (triggers of
 * V26, whoever writes), and every instance then drops all of them at once. What time alone changes (a scheduled
 * episode reaching its release instant, which no write announces) drops them too, at that instant
 * ({@link #watchNextRelease}); each entry also lives at most {@code catalogue.cache.ttl}, a bound on what a missed
 * announcement could cost. While the announcements are not being listened to (at start, PostgreSQL out of reach,
 * reconnecting), nothing is cached: every read goes to PostgreSQL, as without the caches. Only what is found is
 * kept, never "not found".
 */
@ApplicationScoped
public class CatalogueChanges {

    static final String CHANNEL = "catalogue_changed";

    /** The earliest release instant still to come of an episode that would then be visible. */
    private static final String NEXT_RELEASE = """
            select min(release_at) from episode
            where published and current_version_id is not null and release_at > now()
            """;
    /** A release found again after its instant (this clock ahead of PostgreSQL's) is looked at again this soon. */
    private static final long RELEASE_RECHECK_MS = 100;
    /** Releases further away are looked up again after this long (a timer is not kept for days). */
    private static final long RELEASE_HORIZON_MS = Duration.ofHours(1).toMillis();

    @ConfigMapping(prefix = "catalogue.cache")
    public interface Config {
        /** The longest a cached catalogue fact is kept; 0 turns the caches off. */
        @WithDefault("10m")
        Duration ttl();
    }

    /** Bumped by every announced change; caches keep an entry only for the generation it was read in. */
    private volatile long generation;
    /** False while no LISTEN is in place: then nothing is served from, or put in, a cache. */
    private volatile boolean listening;
    private final List<Fresh<?, ?>> caches = new CopyOnWriteArrayList<>();
    private final Duration ttl;
    private final Vertx vertx;
    private final Pool pool;
    private final PgConnectOptions options;
    private PgSubscriber subscriber;
    /** The timer that drops the caches at the next release instant, or -1. */
    private long releaseTimer = -1;

    CatalogueChanges(Config config, Vertx vertx, Pool pool, PostgresPool pools,
                     @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
                     @ConfigProperty(name = "quarkus.datasource.username") String user,
                     @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.ttl = config.ttl();
        this.vertx = vertx;
        this.pool = pool;
        this.options = pools.detectDeadPeers(PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(user).setPassword(password));
    }

    void start(@Observes StartupEvent event) {
        if (ttl.isZero()) {
            return;
        }
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        // Changes made while the connection was down were not announced: start from nothing once it is back.
        subscriber.channel(CHANNEL).handler(payload -> changed())
                .subscribeHandler(() -> {
                    changed();
                    listening = true;
                });
        subscriber.closeHandler(() -> {
            listening = false;
            changed();
            Log.warn("Catalogue caches are off: the change announcements from PostgreSQL stopped; reconnecting");
        });
        subscriber.connect().subscribe().with(
                ok -> Log.debugf("Listening for catalogue changes on channel %s", CHANNEL),
                e -> Log.warnf("Catalogue caches are off until PostgreSQL is reachable: %s", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        listening = false;
        cancelReleaseTimer();
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    private void changed() {
        generation++;
        caches.forEach(Fresh::clear);
        watchNextRelease();
    }

    /**
     * Drops the caches when the earliest scheduled release still to come is reached, looked up again after every
     * change (a schedule set, moved or cleared) and every such instant. PostgreSQL's clock decides visibility: when
     * this instance's clock runs ahead, the lookup finds the same instant again and looks again shortly after.
     */
    private void watchNextRelease() {
        cancelReleaseTimer();
        pool.query(NEXT_RELEASE).execute().subscribe().with(rows -> {
            OffsetDateTime next = rows.iterator().next().getOffsetDateTime(0);
            if (next != null) {
                long delay = Duration.between(Instant.now(), next.toInstant()).toMillis() + 1;
                schedule(Math.min(Math.max(delay, RELEASE_RECHECK_MS), RELEASE_HORIZON_MS), true);
            }
        }, e -> {
            // Not listening means nothing is cached, and listening again starts with a change: looked up then.
            if (listening) {
                Log.warnf("Next scheduled release not known (%s): looking again in 1 s", e.getMessage());
                schedule(1000, false);
            }
        });
    }

    private synchronized void schedule(long delayMs, boolean dropCaches) {
        cancelReleaseTimer();
        releaseTimer = vertx.setTimer(delayMs, id -> {
            if (dropCaches) {
                changed();
            } else {
                watchNextRelease();
            }
        });
    }

    private synchronized void cancelReleaseTimer() {
        if (releaseTimer >= 0) {
            vertx.cancelTimer(releaseTimer);
            releaseTimer = -1;
        }
    }

    /** A new cache of at most {@code maximumSize} entries. */
    public <K, V> Fresh<K, V> cache(int maximumSize) {
        // Maintenance on the calling thread: Caffeine's default hands it to the common pool, a thread wake-up per
        // write (seen in the hot paths' profile).
        Fresh<K, V> cache = new Fresh<>(this, Caffeine.newBuilder().executor(Runnable::run).maximumSize(maximumSize)
                .expireAfterWrite(ttl.isZero() ? Duration.ofNanos(1) : ttl).build());
        caches.add(cache);
        return cache;
    }

    /** Catalogue facts by key, true as of the last announced change. */
    public static final class Fresh<K, V> {

        private record Entry<V>(long generation, V value) {
        }

        private final CatalogueChanges changes;
        private final Cache<K, Entry<V>> entries;

        private Fresh(CatalogueChanges changes, Cache<K, Entry<V>> entries) {
            this.changes = changes;
            this.entries = entries;
        }

        /** The cached value, else {@code load}'s (kept unless null, or a change was announced meanwhile). */
        public Uni<V> get(K key, Supplier<Uni<V>> load) {
            V cached = ifPresent(key);
            if (cached != null) {
                return Uni.createFrom().item(cached);
            }
            if (!changes.listening) {
                return load.get();
            }
            long generation = changes.generation;
            return load.get().invoke(value -> put(key, value, generation));
        }

        /** The announced-change generation now: read before a load, for {@link #put}. */
        public long generation() {
            return changes.generation;
        }

        /** Keeps {@code value}, loaded from {@code generation} on, unless a change was announced meanwhile. */
        public void put(K key, V value, long generation) {
            if (value != null && changes.listening && changes.generation == generation) {
                entries.put(key, new Entry<>(generation, value));
            }
        }

        /** The cached value, or null. */
        public V ifPresent(K key) {
            if (!changes.listening) {
                return null;
            }
            Entry<V> entry = entries.getIfPresent(key);
            return entry != null && entry.generation == changes.generation ? entry.value : null;
        }

        private void clear() {
            entries.invalidateAll();
        }
    }
}
