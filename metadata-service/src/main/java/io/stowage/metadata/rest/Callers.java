package io.stowage.metadata.rest;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The caller of the current request, resolved without blocking. Authentication is lazy
 * ({@code quarkus.http.auth.proactive=false}): routes open to anonymous readers resolve the token
 * here, and a bad token still fails with 401.
 */
@ApplicationScoped
public class Callers {

    private final CurrentIdentityAssociation identity;

    public Callers(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    public Uni<Caller> current() {
        return identity.getDeferredIdentity().map(Caller::of);
    }
}
