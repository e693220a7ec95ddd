package io.stowage.gateway.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.stowage.gateway.errors.ErrorResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Authenticates the caller of a request from its bearer token (verified against the OIDC issuer by
 * quarkus-oidc) and lets the request through only when the route's rule allows it.
 */
public final class Callers {

    private static final Logger LOG = Logger.getLogger(Callers.class);

    private Callers() {
    }

    /** Runs {@code then} for a signed-in caller; anyone else gets 401 in the error shape. */
    public static void requireUser(RoutingContext ctx, BiConsumer<RoutingContext, SecurityIdentity> then) {
        // the body stays unread until an upstream takes it
        ctx.request().pause();
        // Quarkus answers a failed authentication through this handler; ours gives the error shape
        ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (c, failure) -> invalidToken(c));
        Uni<SecurityIdentity> deferred = ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (deferred == null) {
            ErrorResponse.unauthorized(ctx, "a bearer token is required");
            return;
        }
        deferred.subscribe().with(identity -> {
            if (identity == null || identity.isAnonymous()) {
                ErrorResponse.unauthorized(ctx, "a bearer token is required");
            } else {
                then.accept(ctx, identity);
            }
        }, failure -> {
            if (!(failure instanceof AuthenticationFailedException)) {
                LOG.warnf("authentication failed unexpectedly: %s", failure.toString());
            }
            invalidToken(ctx);
        });
    }

    private static void invalidToken(RoutingContext ctx) {
        if (!ctx.response().headWritten()) {
            ErrorResponse.unauthorized(ctx, "the bearer token is invalid, expired or not issued by a trusted issuer");
        }
    }
}
