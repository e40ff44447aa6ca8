package com.microdrama.paywall;

import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ad network's server-side callback after a completed rewarded ad: signed with a shared secret, fresh,
 * never replayed (its transaction id is a primary key), and capped per viewer and day. It unlocks one episode.
 */
@ApplicationScoped
public class AdRewardService {

    private final Pool pool;
    private final PricedEpisodes episodes;
    private final CoinMoves moves;
    private final PaywallConfig config;

    AdRewardService(Pool pool, PricedEpisodes episodes, CoinMoves moves, PaywallConfig config) {
        this.pool = pool;
        this.episodes = episodes;
        this.moves = moves;
        this.config = config;
    }

    public record Reward(String viewerId, UUID episodeId, String transactionId, long timestamp) {
        String canonical() {
            return String.join("|", viewerId, episodeId.toString(), transactionId, Long.toString(timestamp));
        }
    }

    public String sign(Reward reward) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.adCallbackSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(reward.canonical().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Uni<Void> reward(Reward reward, String signature) {
        // The signed string joins the fields with '|': a field holding one could be re-split into another callback.
        requireNoSeparator("viewerId", reward.viewerId());
        requireNoSeparator("transactionId", reward.transactionId());
        if (signature == null || !MessageDigest.isEqual(sign(reward).getBytes(StandardCharsets.US_ASCII),
                signature.toLowerCase().getBytes(StandardCharsets.US_ASCII))) {
            throw ApiException.forbidden("the callback signature is not valid");
        }
        Duration age = Duration.between(Instant.ofEpochSecond(reward.timestamp()), Instant.now()).abs();
        if (age.compareTo(config.adCallbackMaxAge()) > 0) {
            throw ApiException.forbidden("the callback is stale (" + age.toSeconds() + " s old)");
        }
        // The episode is read before the transaction, which then only needs its own connection.
        return episodes.playable(reward.episodeId())
                .onItem().ifNull().failWith(() -> ApiException.notFound("episode", reward.episodeId()))
                // The wallet's row lock first: callbacks for one viewer arriving together count one after another,
                // so none of them passes the cap on a count the others are about to change.
                .call(e -> pool.withTransaction(tx -> moves.hold(tx, reward.viewerId()).flatMap(x -> tx.preparedQuery("""
                                select count(*) as today from ad_reward
                                where viewer_id = $1 and created_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'
                                """).execute(Tuple.of(reward.viewerId()))
                        .flatMap(rows -> {
                            if (rows.iterator().next().getLong("today") >= config.adDailyCap()) {
                                throw new ApiException(429, "Too many rewards",
                                        "the daily limit of " + config.adDailyCap() + " rewarded unlocks is reached");
                            }
                            return tx.preparedQuery("""
                                    insert into ad_reward (transaction_id, viewer_id, episode_id) values ($1, $2, $3)
                                    on conflict do nothing returning 1
                                    """).execute(Tuple.of(reward.transactionId(), reward.viewerId(), reward.episodeId()));
                        })
                        .flatMap(inserted -> {
                            if (inserted.size() == 0) {
                                throw ApiException.conflict("ad transaction '" + reward.transactionId() + "' was already rewarded");
                            }
                            return moves.grant(tx, reward.viewerId(), e, CoinMoves.Kind.AD);
                        }))))
                .call(e -> moves.committed(reward.viewerId(), CoinMoves.Kind.AD, e.seriesId(), List.of(e.number()),
                        Balance.EMPTY))
                .replaceWithVoid();
    }

    private static void requireNoSeparator(String field, String value) {
        if (value.indexOf('|') >= 0) {
            throw ApiException.badRequest(field, "must not contain '|'");
        }
    }
}
