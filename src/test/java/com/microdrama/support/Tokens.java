package com.microdrama.support;

import io.smallrye.jwt.build.Jwt;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Real RS256 tokens signed with the dev key pair, verified by the app exactly as in production. */
public final class Tokens {

    public static final String ISSUER = "https://microdrama.local";

    private Tokens() {
    }

    public static String of(String role, String subject) {
        return Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.of(role)).sign();
    }

    /** A token valid for {@code lifetime} (the default is smallrye-jwt's 5 minutes): for benchmarks that run longer. */
    public static String of(String role, String subject, java.time.Duration lifetime) {
        return Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.of(role)).expiresIn(lifetime).sign();
    }

    public static String expired(String role, String subject) {
        Instant past = Instant.now().minusSeconds(7200);
        return Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.of(role))
                .issuedAt(past).expiresAt(past.plusSeconds(60)).sign();
    }

    public static String newSubject(String role) {
        return role + "-" + UUID.randomUUID();
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
