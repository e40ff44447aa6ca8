package com.microdrama.core.persistence;

import io.quarkus.logging.Log;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The reactive PostgreSQL pool with {@code TCP_USER_TIMEOUT} and TCP keepalive on its connections. A database that
 * goes silent (a failover, a network path dropping packets) sends no reset: without these a pooled connection with
 * a query in flight waits for the kernel's retransmissions to give up (~15 min), and the pool keeps handing out
 * connections that never answer. With the user timeout the kernel closes a connection whose sent data stays
 * unacknowledged that long, the query fails (503) and the pool opens a fresh one; an idle connection is found the
 * same way on its next use, or earlier by keepalive (whose timing is the OS's, {@code net.ipv4.tcp_keepalive_time}:
 * Vert.x 4.5 applies keepalive idle/interval/count to servers only). The user timeout needs Vert.x's native
 * (epoll) transport, on by {@code quarkus.vertx.prefer-native-transport}; without it a warning says so.
 */
@Singleton
@io.quarkus.arc.Unremovable
public class PostgresPool implements PgPoolCreator {

    @ConfigMapping(prefix = "db.tcp")
    public interface Config {
        /** How long sent data may stay unacknowledged before the kernel closes the connection. */
        @WithDefault("15s")
        Duration userTimeout();
    }

    private final Config config;

    PostgresPool(Config config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        if (!input.vertx().isNativeTransportEnabled()) {
            Log.warn("Vert.x runs without its native transport: PostgreSQL connections get no TCP_USER_TIMEOUT, so "
                    + "a silent database can hold them for minutes");
        }
        input.pgConnectOptionsList().forEach(this::detectDeadPeers);
        Log.infof("PostgreSQL connections: TCP_USER_TIMEOUT %s, keepalive on", config.userTimeout());
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }

    /** The same guard for connections opened outside the pool (LISTEN connections). */
    public PgConnectOptions detectDeadPeers(PgConnectOptions options) {
        options.setTcpKeepAlive(true).setTcpUserTimeout((int) config.userTimeout().toMillis());
        return options;
    }
}
