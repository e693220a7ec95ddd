package io.stowage.gateway.auth;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The gateway's own access token (client-credentials grant), for the calls it makes as itself rather
 * than for a user: signing-service serves only Stowage's services. Kept until shortly before it expires.
 */
@ApplicationScoped
public class ServiceToken {

    private final OidcClient client;
    private volatile Tokens tokens;

    public ServiceToken(OidcClient client) {
        this.client = client;
    }

    /** {@code Bearer <token>}, fetched from the issuer only when the cached one is about to expire. */
    public Uni<String> authorization() {
        Tokens current = tokens;
        if (current != null && !current.isAccessTokenExpired() && !current.isAccessTokenWithinRefreshInterval()) {
            return Uni.createFrom().item("Bearer " + current.getAccessToken());
        }
        return client.getTokens().invoke(fresh -> tokens = fresh).map(fresh -> "Bearer " + fresh.getAccessToken());
    }

    /** {@link #authorization()} as a Vert.x future, for calls composed with Vert.x's. */
    public Future<String> future() {
        Promise<String> promise = Promise.promise();
        authorization().subscribe().with(promise::complete, promise::fail);
        return promise.future();
    }
}
