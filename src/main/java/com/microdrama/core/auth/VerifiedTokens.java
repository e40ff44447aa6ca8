package com.microdrama.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.MpJwtValidator;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens already verified, so that a phone's next request with the same token skips the signature check and
 * the claims' parsing (see docs/benchmarks.md, "where the time goes"). Keyed by the whole token: the same bytes verified once
 * verify again, and a changed byte is another key. An entry is used only before the token's expiry, and the
 * identity it holds is the one the verifier built (roles, subject), untouched. Anything not found here goes to
 * smallrye-jwt's validator as before, failures included (a failure is never kept).
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    @ConfigMapping(prefix = "auth.verified-tokens")
    public interface Config {
        /** How many verified tokens are kept; 0 verifies every request's token. */
        @WithDefault("20000")
        int maximumSize();
    }

    private record Verified(SecurityIdentity identity, long expiresAtSeconds) {
    }

    private final MpJwtValidator validator;
    private final Cache<String, Verified> verified;
    private final boolean enabled;

    VerifiedTokens(MpJwtValidator validator, Config config) {
        this.validator = validator;
        this.enabled = config.maximumSize() > 0;
        this.verified = Caffeine.newBuilder().maximumSize(Math.max(1, config.maximumSize())).build();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Asked before smallrye-jwt's validator, which it calls itself on a miss. */
    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        Verified known = enabled ? verified.getIfPresent(token) : null;
        if (known != null) {
            if (System.currentTimeMillis() / 1000 < known.expiresAtSeconds()) {
                return Uni.createFrom().item(known.identity());
            }
            verified.invalidate(token);
        }
        return validator.authenticate(request, context).invoke(identity -> {
            if (enabled && identity != null && identity.getPrincipal() instanceof JsonWebToken jwt
                    && jwt.getExpirationTime() > System.currentTimeMillis() / 1000) {
                verified.put(token, new Verified(identity, jwt.getExpirationTime()));
            }
        });
    }
}
