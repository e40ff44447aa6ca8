package com.microdrama.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.net.URI;
import java.util.Map;

/**
 * The fault harness: a {@link TcpProxy} in front of each real service the app talks to, and the settings that
 * point the app at it. A test cuts (reset) or blackholes (silence) one and restores it while it runs its load.
 */
public final class FaultProxies {

    private static final Map<String, String> ENV = System.getenv();

    private FaultProxies() {
    }

    /** The app behind proxies, without workers (they would only add noise while a service is cut). */
    public static class NoWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.flyway.clean-at-start", "false", "transcode.worker.enabled", "false");
        }
    }

    /** The proxy in front of PostgreSQL of the running test class (set by {@link DatabaseResource}). */
    public static TcpProxy database;
    /** The proxy in front of object storage of the running test class (set by {@link StorageResource}). */
    public static TcpProxy storage;
    /** The proxy in front of Redis of the running test class (set by {@link RedisResource}). */
    public static TcpProxy redis;

    /** Puts a proxy in front of PostgreSQL for the test class, the app pointed at it; stopped with the class. */
    public static class DatabaseResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            database = database();
            return databaseSettings(database);
        }

        @Override
        public void stop() {
            database.cut();
        }
    }

    /** Puts a proxy in front of object storage for the test class, the app pointed at it; stopped with the class. */
    public static class StorageResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            storage = storage();
            return storageSettings(storage);
        }

        @Override
        public void stop() {
            storage.cut();
        }
    }

    /**
     * Puts a proxy in front of Redis for the test class, the app pointed at it, and a client named "direct" straight
     * to Redis for the test to read what is cached ({@link #cachedBits}); stopped with the class.
     */
    public static class RedisResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            redis = redis();
            return redisSettings(redis);
        }

        @Override
        public void stop() {
            redis.cut();
        }
    }

    /** The first {@code count} bits of a cached bitmap as a string ("" when the key is not cached). */
    public static String cachedBits(io.quarkus.redis.datasource.RedisDataSource direct, String key, int count) {
        StringBuilder bits = new StringBuilder();
        if (direct.key().exists(key)) {
            for (int n = 0; n < count; n++) {
                bits.append(direct.bitmap(String.class).getbit(key, n));
            }
        }
        return bits.toString();
    }

    public static TcpProxy database() {
        return new TcpProxy(ENV.getOrDefault("DB_HOST", "127.0.0.1"),
                Integer.parseInt(ENV.getOrDefault("DB_PORT", "5432"))).start();
    }

    public static Map<String, String> databaseSettings(TcpProxy database) {
        String db = "127.0.0.1:" + database.port() + "/${db.name}";
        return Map.of("quarkus.datasource.reactive.url", "postgresql://" + db,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + db);
    }

    public static TcpProxy storage() {
        URI s3 = URI.create(ENV.getOrDefault("S3_ENDPOINT", "http://127.0.0.1:9100"));
        return new TcpProxy(s3.getHost(), s3.getPort()).start();
    }

    public static Map<String, String> storageSettings(TcpProxy storage) {
        return Map.of("storage.endpoint", "http://127.0.0.1:" + storage.port());
    }

    private static URI redisUrl() {
        return URI.create(ENV.getOrDefault("REDIS_URL", "redis://" + ENV.getOrDefault("REDIS_HOST", "127.0.0.1") + ":"
                + ENV.getOrDefault("REDIS_PORT", "6379")));
    }

    public static TcpProxy redis() {
        return new TcpProxy(redisUrl().getHost(), redisUrl().getPort()).start();
    }

    /** The app through the proxy; a client named "direct" straight to Redis, for the test to read what is cached. */
    public static Map<String, String> redisSettings(TcpProxy redis) {
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + redis.port() + redisUrl().getPath(),
                "quarkus.redis.direct.hosts", redisUrl().toString());
    }
}
