package com.microdrama.core.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.support.Tokens;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VerifiedTokensTest {

    @Inject
    @CacheName("verified-tokens")
    Cache verified;
    @Inject
    DefaultJWTParser verifier;

    @Test
    void a_token_is_verified_once_and_then_served_from_memory() {
        String token = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        assertThat(remembered(token)).isFalse();
        continueWatching(token, 200);
        assertThat(remembered(token)).isTrue();
        continueWatching(token, 200);
    }

    @Test
    void a_tampered_copy_of_a_remembered_token_is_refused() {
        String token = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        continueWatching(token, 200);
        char last = token.charAt(token.length() - 2);
        continueWatching(token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1),
                401);
        String[] parts = token.split("\\.");
        String otherSubject = Tokens.of(Roles.OPERATOR, "ops-" + Tokens.newSubject(Roles.OPERATOR)).split("\\.")[1];
        continueWatching(parts[0] + "." + otherSubject + "." + parts[2], 401);
    }

    @Test
    void a_remembered_token_past_its_expiry_is_refused() throws Exception {
        // Remembered as if it had been verified while still valid: the memory must not outlive the token.
        String expired = Tokens.expired(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        verified.as(CaffeineCache.class).put(expired, CompletableFuture.completedFuture(verifier.parseOnly(expired)));
        continueWatching(expired, 401);
        continueWatching(Tokens.expired(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER)), 401);
    }

    @Test
    void a_token_signed_by_another_key_is_refused_and_not_remembered() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String subject = Tokens.newSubject(Roles.VIEWER);
        String token = Jwt.issuer(Tokens.ISSUER).subject(subject).upn(subject).groups(Set.of(Roles.VIEWER))
                .sign(generator.generateKeyPair().getPrivate());
        continueWatching(token, 401);
        assertThat(remembered(token)).isFalse();
        continueWatching(token, 401);
    }

    private boolean remembered(String token) {
        return verified.as(CaffeineCache.class).getIfPresent(token) != null;
    }

    private static void continueWatching(String token, int status) {
        given().header("Authorization", Tokens.bearer(token)).get("/api/v1/me/continue-watching").then()
                .statusCode(status);
    }
}
