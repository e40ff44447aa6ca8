package com.microdrama.playback;

import com.microdrama.core.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
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
    private final Clock clock;
    /** Looking a Mac up costs more than using it; each event-loop thread keeps one (doFinal resets it). */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    @Inject
    PlaybackToken(PlaybackConfig config) {
        this(config.tokenSecret(), Clock.systemUTC());
    }

    PlaybackToken(String secret, Clock clock) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("playback.token-secret must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        this.clock = clock;
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
        Grant grant = new Grant(fields[0], UUID.fromString(fields[1]), UUID.fromString(fields[2]),
                Instant.ofEpochSecond(Long.parseLong(fields[3])));
        if (!grant.versionId().equals(versionId)) {
            throw ApiException.forbidden("this playback token is for another episode");
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            throw ApiException.forbidden("this playback token has expired; ask for a new one");
        }
        return grant;
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
