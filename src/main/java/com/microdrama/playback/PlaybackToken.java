package com.microdrama.playback;

import com.microdrama.core.error.ApiException;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short-lived capability to play one episode version: viewer, episode, version and expiry, signed with HMAC.
 * Playlist and key requests verify it alone — no database and no Redis on that path.
 */
@ApplicationScoped
public class PlaybackToken {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    /** Tokens whose signature was checked already: a player sends the same one for every playlist and the key. */
    private final CaffeineCache verified;
    /** Looking a Mac up costs more than using it; each event-loop thread keeps one (doFinal resets it). */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    @Inject
    PlaybackToken(PlaybackConfig config, @CacheName("playback-tokens") Cache verified) {
        byte[] bytes = config.tokenSecret().getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("playback.token-secret must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        this.verified = verified.as(CaffeineCache.class);
    }

    /** What a valid token grants. */
    public record Grant(String viewerId, UUID episodeId, UUID versionId, Instant expiresAt) {
    }

    public String issue(Grant grant) {
        String payload = ENCODER.encodeToString(String.join("|", grant.viewerId(), grant.episodeId().toString(),
                grant.versionId().toString(), Long.toString(grant.expiresAt().getEpochSecond()))
                .getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENCODER.encodeToString(mac(payload));
    }

    /** The grant, if the token is authentic, unexpired and for this version; otherwise 403. */
    public Grant verify(String token, UUID versionId) {
        if (token == null || token.isBlank()) {
            throw ApiException.forbidden("a playback token is required; ask /api/v1/episodes/{id}/playback for one");
        }
        CompletableFuture<Grant> known = verified.getIfPresent(token);
        Grant grant = known != null ? known.getNow(null) : null;
        if (grant == null) {
            grant = authentic(token);
            // Only authentic tokens are remembered, so forged ones cannot crowd out the real ones.
            verified.put(token, CompletableFuture.completedFuture(grant));
        }
        if (!grant.versionId().equals(versionId)) {
            throw ApiException.forbidden("this playback token is for another episode");
        }
        if (!Instant.now().isBefore(grant.expiresAt())) {
            throw ApiException.forbidden("this playback token has expired; ask for a new one");
        }
        return grant;
    }

    /** What the token says, if its signature is ours; otherwise 403. */
    private Grant authentic(String token) {
        int dot = token.indexOf('.');
        if (dot < 1) {
            throw invalid();
        }
        String payload = token.substring(0, dot);
        byte[] signature;
        try {
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(mac(payload), signature)) {
            throw invalid();
        }
        String[] fields = new String(DECODER.decode(payload), StandardCharsets.UTF_8).split("\\|");
        return new Grant(fields[0], UUID.fromString(fields[1]), UUID.fromString(fields[2]),
                Instant.ofEpochSecond(Long.parseLong(fields[3])));
    }

    private static ApiException invalid() {
        return ApiException.forbidden("this playback token is not valid");
    }

    private byte[] mac(String payload) {
        return macs.get().doFinal(payload.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
