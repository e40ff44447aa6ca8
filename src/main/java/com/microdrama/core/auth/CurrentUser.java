package com.microdrama.core.auth;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** Who is calling: the token's subject, or nobody for anonymous catalogue browsing. */
@RequestScoped
public class CurrentUser {

    private final CurrentIdentityAssociation identity;

    CurrentUser(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    /**
     * The subject of the token, on endpoints that require a role: there the identity is already resolved before
     * the method runs.
     */
    public String id() {
        return identity.getIdentity().getPrincipal().getName();
    }

    /**
     * The caller on endpoints open to anonymous users. Authentication is lazy there, so the token is verified
     * only now, without blocking; a token that is present but invalid fails with 401 rather than being ignored.
     */
    public Uni<Optional<String>> optionalId() {
        return identity.getDeferredIdentity()
                .map(who -> who.isAnonymous() ? Optional.<String>empty() : Optional.of(who.getPrincipal().getName()));
    }
}
