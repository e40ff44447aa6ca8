package com.microdrama.core.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A remembered verification is reused only for the very same token and only until its expiry: a forged signature
 * over a remembered token's claims and a token signed by another key are refused.
 */
@QuarkusTest
class VerifiedTokensTest {

    @Inject
    VerifiedTokens tokens;

    @Test
    void the_same_token_is_verified_in_full_once() {
        String token = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        long before = tokens.checks();
        sendEmptyBatch(token, 400);
        sendEmptyBatch(token, 400);
        sendEmptyBatch(token, 400);
        assertThat(tokens.checks() - before).isEqualTo(1);
    }

    /** 400 (the empty batch) means the token was accepted; 401 that it was not. */
    private static void sendEmptyBatch(String token, int status) {
        given().header("Authorization", Tokens.bearer(token)).contentType("application/json").body("{\"events\":[]}")
                .post("/api/v1/events").then().statusCode(status);
    }

    /** Past its expiry a token is verified in full again (which allows the configured clock skew, 60 s). */
    @Test
    void a_remembered_token_is_not_reused_past_its_expiry() throws InterruptedException {
        String subject = Tokens.newSubject(Roles.VIEWER);
        Instant now = Instant.now();
        String token = Jwt.issuer(Tokens.ISSUER).subject(subject).upn(subject).groups(Set.of(Roles.VIEWER))
                .issuedAt(now).expiresAt(now.plusSeconds(2)).sign();
        long before = tokens.checks();
        sendEmptyBatch(token, 400);
        sendEmptyBatch(token, 400);
        assertThat(tokens.checks() - before).isEqualTo(1);
        Thread.sleep(Math.max(0, now.plusSeconds(3).toEpochMilli() - System.currentTimeMillis()));
        sendEmptyBatch(token, 400);
        assertThat(tokens.checks() - before).isEqualTo(2);
    }

    @Test
    void a_forged_signature_over_remembered_claims_is_refused() {
        String token = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        sendEmptyBatch(token, 400);
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(10);
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(11);
        sendEmptyBatch(forged, 401);
        sendEmptyBatch(token, 400);
    }

    @Test
    void a_token_signed_by_another_key_is_refused() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String subject = Tokens.newSubject(Roles.VIEWER);
        String token = Jwt.issuer(Tokens.ISSUER).subject(subject).upn(subject).groups(Set.of(Roles.VIEWER))
                .sign(generator.generateKeyPair().getPrivate());
        sendEmptyBatch(token, 401);
        sendEmptyBatch(token, 401);
    }
}
