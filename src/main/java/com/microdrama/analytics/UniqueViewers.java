package com.microdrama.analytics;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Unique viewers as Redis HyperLogLogs: one per episode and hour, per episode and day, per series and day, and per
 * episode and aligned block of 2, 4 … 64 days. Any range is the union of the fewest blocks that tile it (PFCOUNT
 * over several keys), which sums cannot give: a 30-day range merges at most 8 sketches instead of 30 (5 on average), and merging
 * dense sketches is what a producer's answer spends its time on (about 27 µs per dense sketch). Redis' HyperLogLog has a
 * standard error of 0.81% (16384 registers) and is exact-in-practice for small sets (sparse encoding). The rollup
 * adds viewers from the raw events before it commits, so a lost Redis is refilled by re-running the rollup over
 * the raw events still kept; the sketches expire with the raw events' retention.
 */
@ApplicationScoped
class UniqueViewers {

    static final String ERROR = "Redis HyperLogLog: standard error 0.81%";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Commands pipelined at once: well under the client's limit of commands waiting on a connection (2,048). */
    static final int BATCH = 1_000;

    /** A viewer seen playing an episode at a time. */
    record Seen(UUID episodeId, UUID seriesId, String viewerId, Instant at) {
    }

    private final Redis redis;
    private final AnalyticsConfig config;

    // The plain client: its batch() pipelines many commands on one connection in one round trip.
    UniqueViewers(Redis redis, AnalyticsConfig config) {
        this.redis = redis;
        this.config = config;
    }

    static String episodeKey(UUID episodeId, String grain, Instant bucket) {
        return "analytics:uv:e:" + episodeId + ":" + grain + ":" + bucket.getEpochSecond();
    }

    /** The largest block is 2^BLOCK_LEVELS days. */
    static final int BLOCK_LEVELS = 6;

    /** 2^level days from the epoch day {@code first} (a multiple of 2^level); level 0 is one day. */
    record Block(int level, long first) {
    }

    /** The fewest aligned blocks that tile the days from..to (both included), oldest first. */
    static List<Block> blocks(LocalDate from, LocalDate to) {
        List<Block> out = new ArrayList<>();
        long day = from.toEpochDay();
        long last = to.toEpochDay();
        while (day <= last) {
            int level = BLOCK_LEVELS;
            while (level > 0 && (day % (1L << level) != 0 || day + (1L << level) - 1 > last)) {
                level--;
            }
            out.add(new Block(level, day));
            day += 1L << level;
        }
        return out;
    }

    static String episodeBlockKey(UUID episodeId, Block block) {
        return block.level() == 0
                ? episodeKey(episodeId, "day", LocalDate.ofEpochDay(block.first()).atStartOfDay().toInstant(ZoneOffset.UTC))
                : "analytics:uv:e:" + episodeId + ":days" + (1 << block.level()) + ":" + block.first();
    }

    /** The sketches whose union is an episode's viewers over the days from..to. */
    static List<String> episodeRangeKeys(UUID episodeId, LocalDate from, LocalDate to) {
        return blocks(from, to).stream().map(b -> episodeBlockKey(episodeId, b)).toList();
    }

    static String seriesDayKey(UUID seriesId, Instant day) {
        return "analytics:uv:s:" + seriesId + ":day:" + day.getEpochSecond();
    }

    /** Adds the viewers; answers every key it touched. */
    Uni<Set<String>> add(Collection<Seen> seen) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (Seen s : seen) {
            Instant hour = s.at().truncatedTo(ChronoUnit.HOURS);
            Instant day = s.at().truncatedTo(ChronoUnit.DAYS);
            byKey.computeIfAbsent(episodeKey(s.episodeId(), "hour", hour), k -> new ArrayList<>()).add(s.viewerId());
            byKey.computeIfAbsent(episodeKey(s.episodeId(), "day", day), k -> new ArrayList<>()).add(s.viewerId());
            byKey.computeIfAbsent(seriesDayKey(s.seriesId(), day), k -> new ArrayList<>()).add(s.viewerId());
            long epochDay = day.getEpochSecond() / 86_400;
            for (int level = 1; level <= BLOCK_LEVELS; level++) {
                Block block = new Block(level, epochDay - Math.floorMod(epochDay, 1L << level));
                byKey.computeIfAbsent(episodeBlockKey(s.episodeId(), block), k -> new ArrayList<>()).add(s.viewerId());
            }
        }
        long keepSeconds = Duration.ofDays(config.retentionDays() + 2L).toSeconds();
        // A block's sketch lives as long as its last day's.
        long keepBlockSeconds = keepSeconds + Duration.ofDays(1L << BLOCK_LEVELS).toSeconds();
        List<Request> writes = new ArrayList<>();
        byKey.forEach((key, viewers) -> {
            Request add = Request.cmd(Command.PFADD).arg(key);
            viewers.forEach(add::arg);
            writes.add(add);
            writes.add(Request.cmd(Command.EXPIRE).arg(key).arg(key.contains(":days") ? keepBlockSeconds : keepSeconds));
        });
        if (writes.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pipelined(writes).replaceWith(byKey.keySet());
    }

    /** The estimate of each key (the union when a value holds several keys). */
    <K> Uni<Map<K, Long>> count(Map<K, List<String>> unions) {
        if (unions.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<K> names = new ArrayList<>(unions.keySet());
        List<Request> counts = names.stream().map(name -> {
            Request count = Request.cmd(Command.PFCOUNT);
            unions.get(name).forEach(count::arg);
            return count;
        }).toList();
        return pipelined(counts).map(values -> {
            Map<K, Long> out = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                out.put(names.get(i), values.get(i).toLong());
            }
            return out;
        });
    }

    /**
     * The commands pipelined in batches of at most {@link #BATCH}, one after another, the answers in order. One
     * batch() of them all failed with "Redis waiting queue is full" past the connection's 2,048 commands in flight
     * (a rollup of a busy minute adds thousands of sketches).
     */
    private Uni<List<Response>> pipelined(List<Request> commands) {
        Uni<List<Response>> all = Uni.createFrom().item(new ArrayList<>(commands.size()));
        for (int from = 0; from < commands.size(); from += BATCH) {
            List<Request> batch = commands.subList(from, Math.min(commands.size(), from + BATCH));
            all = all.flatMap(answers -> redis.batch(batch).ifNoItem().after(TIMEOUT).fail()
                    .map(answered -> {
                        answers.addAll(answered);
                        return answers;
                    }));
        }
        return all;
    }
}
