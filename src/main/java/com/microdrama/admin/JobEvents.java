package com.microdrama.admin;

import com.microdrama.admin.dto.JobSummary;
import com.microdrama.core.config.AppConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import com.microdrama.core.persistence.PostgresPool;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Job changes from every process, as one stream. A trigger (migration V3) NOTIFYs the job id on each change of
 * state, progress or attempt; this process LISTENs on one dedicated connection, reads the job's summary once per
 * notification and hands it to every connected operator. Workers in other processes need nothing but the database.
 */
@ApplicationScoped
public class JobEvents {

    static final String CHANNEL = "transcode_job";
    private static final int BURST = 10_000;

    private final BroadcastProcessor<UUID> notified = BroadcastProcessor.create();
    private final BroadcastProcessor<JobSummary> changes = BroadcastProcessor.create();
    private final JobMonitor monitor;
    private final Vertx vertx;
    private final AppConfig app;
    private final String url;
    private final String user;
    private final String password;
    private final PostgresPool pool;
    private PgSubscriber subscriber;

    JobEvents(JobMonitor monitor, Vertx vertx, AppConfig app,
              @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
              @ConfigProperty(name = "quarkus.datasource.username") String user,
              @ConfigProperty(name = "quarkus.datasource.password") String password, PostgresPool pool) {
        this.monitor = monitor;
        this.vertx = vertx;
        this.app = app;
        this.url = url;
        this.user = user;
        this.password = password;
        this.pool = pool;
    }

    void start(@Observes StartupEvent event) {
        if (!app.role().servesApi()) {
            return;
        }
        PgConnectOptions options = pool.detectDeadPeers(PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(user).setPassword(password));
        subscriber = PgSubscriber.subscriber(vertx, options)
                // Lost connection: reconnect every second, for ever; events in between are lost, clients re-read.
                .reconnectPolicy(retries -> 1000L);
        // One read at a time, in notification order, so that a job's events never overtake each other.
        // The buffer absorbs bursts while a read is in flight; should it ever overflow, the stream starts over.
        notified.onOverflow().buffer(BURST)
                .onItem().transformToUniAndConcatenate(id -> monitor.summary(id).onFailure().recoverWithItem(e -> {
                    Log.debugf("Job %s changed but could not be read: %s", id, e.getMessage());
                    return null;
                }))
                .onFailure().invoke(e -> Log.warnf("Live job events skipped some changes: %s", e.getMessage()))
                .onFailure().retry().indefinitely()
                .subscribe().with(changes::onNext);
        subscriber.channel(CHANNEL).handler(this::changed);
        subscriber.connect().subscribe().with(
                ok -> Log.debugf("Listening for job changes on channel %s", CHANNEL),
                e -> Log.warnf("Live job events are off until PostgreSQL is reachable: %s", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** Every job change from now on; never completes. Slow subscribers drop events rather than hold others up. */
    public Multi<JobSummary> stream() {
        return changes.onOverflow().drop();
    }

    private void changed(String payload) {
        UUID id;
        try {
            id = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            Log.warnf("Ignoring a malformed job notification: %s", payload);
            return;
        }
        notified.onNext(id);
    }
}
