package com.microdrama.core.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remembers tokens already verified, so that a client sending the same bearer token with every request (a player
 * posting its event batches) pays the RS256 signature check once, not per request: it was a fifth of the event
 * intake's CPU. A token is reused only as the exact same string (any other bytes are verified afresh), only until
 * its {@code exp}, and at most {@link #REUSE_SECONDS} after its verification, so that a public key taken out of
 * service stops admitting its tokens within that time. Failures are never remembered.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class VerifiedTokens extends JWTCallerPrincipalFactory {

    static final long REUSE_SECONDS = 300;
    private static final int MAX_REMEMBERED = 20_000;
    private static final int MAX_TOKEN_LENGTH = 4096;

    private record Verified(JWTCallerPrincipal principal, JWTAuthContextInfo context, long reuseUntil) {
    }

    private final JWTCallerPrincipalFactory verifier = new DefaultJWTCallerPrincipalFactory();
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final LongAdder checks = new LongAdder();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        long now = System.currentTimeMillis() / 1000;
        Verified known = verified.get(token);
        if (known != null && known.context() == context && now < known.reuseUntil()) {
            return known.principal();
        }
        checks.increment();
        JWTCallerPrincipal principal = verifier.parse(token, context);
        if (token.length() <= MAX_TOKEN_LENGTH && principal.getExpirationTime() > 0) {
            if (verified.size() >= MAX_REMEMBERED) {
                verified.values().removeIf(v -> v.reuseUntil() <= now);
                if (verified.size() >= MAX_REMEMBERED) {
                    verified.clear();
                }
            }
            verified.put(token, new Verified(principal, context,
                    Math.min(principal.getExpirationTime(), now + REUSE_SECONDS)));
        }
        return principal;
    }

    /** How many tokens were verified in full so far. */
    long checks() {
        return checks.sum();
    }
}
