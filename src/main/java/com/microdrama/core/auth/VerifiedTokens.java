package com.microdrama.core.auth;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.CompletableFuture;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The bearer-token parser smallrye-jwt uses, remembering tokens it has verified (cache {@code verified-tokens}):
 * a client sends the same token with every request for its whole life, and checking its RS256 signature and
 * claims again each time was the largest single cost of a cheap signed-in page. A hit is the identical token
 * text verified before, so nothing is trusted that was not checked; a remembered token past its expiry is
 * verified afresh, which refuses it. Refusals are never remembered.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

    private final DefaultJWTParser verifier;
    private final CaffeineCache verified;

    VerifiedTokens(DefaultJWTParser verifier, @CacheName("verified-tokens") Cache verified) {
        this.verifier = verifier;
        this.verified = verified.as(CaffeineCache.class);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        CompletableFuture<Object> known = verified.getIfPresent(token);
        JsonWebToken jwt = known == null ? null : (JsonWebToken) known.getNow(null);
        if (jwt != null && jwt.getExpirationTime() * 1000 > System.currentTimeMillis()) {
            return jwt;
        }
        jwt = verifier.parse(token);
        verified.put(token, CompletableFuture.completedFuture(jwt));
        return jwt;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
