package io.stowage.gateway.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.metrics.GatewayMetrics;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Authenticates the caller of a request from its bearer token (verified against the OIDC issuer by
 * quarkus-oidc), applies the caller's rate limit, and lets the request through only when the
 * route's rule allows it.
 */
@ApplicationScoped
public class Callers {

    private static final Logger LOG = Logger.getLogger(Callers.class);
    /** RFC 6750's credentials: the scheme and a token68 value. */
    private static final Pattern BEARER = Pattern.compile("(?i)Bearer +[A-Za-z0-9._~+/-]+=*");

    private final RateLimits limits;
    private final GatewayMetrics metrics;

    public Callers(RateLimits limits, GatewayMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    /** The client IP's rate limit: false when the request was refused with 429 (and answered). */
    public boolean admitIp(RoutingContext ctx) {
        String ip = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        long wait = limits.ip(ip);
        if (wait > 0) {
            metrics.rateLimited();
            ErrorResponse.tooManyRequests(ctx, wait);
            return false;
        }
        return true;
    }

    /** Runs {@code then} for a signed-in caller; anyone else gets 401 in the error shape. */
    public void requireUser(RoutingContext ctx, BiConsumer<RoutingContext, SecurityIdentity> then) {
        resolve(ctx, (c, identity) -> {
            if (identity == null || identity.isAnonymous()) {
                metrics.authFailed();
                ErrorResponse.unauthorized(c, "a bearer token is required");
            } else {
                then.accept(c, identity);
            }
        });
    }

    /** Runs {@code then} for anyone, signed in or anonymous; a token that is sent must still be valid. */
    public void allowAnonymous(RoutingContext ctx, BiConsumer<RoutingContext, SecurityIdentity> then) {
        resolve(ctx, then);
    }

    private void resolve(RoutingContext ctx, BiConsumer<RoutingContext, SecurityIdentity> then) {
        // the body stays unread until an upstream takes it
        ctx.request().pause();
        // an Authorization header that is not a bearer token (empty, Basic, garbage) is refused, never
        // mistaken for an anonymous caller
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null && !BEARER.matcher(authorization).matches()) {
            metrics.authFailed();
            ErrorResponse.unauthorized(ctx, "the Authorization header must be 'Bearer <token>'");
            return;
        }
        // Quarkus answers a failed authentication through this handler; ours gives the error shape
        ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (c, failure) -> invalidToken(c));
        Uni<SecurityIdentity> deferred = ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (deferred == null) {
            then.accept(ctx, null);
            return;
        }
        deferred.subscribe().with(identity -> {
            // a project key (Supabase's anon or service key) names no one and is shared by all of an
            // app's clients: only the per-IP limit applies to it
            if (identity != null && !identity.isAnonymous() && identity.getPrincipal().getName() != null) {
                long wait = limits.caller(identity.getPrincipal().getName());
                if (wait > 0) {
                    metrics.rateLimited();
                    ErrorResponse.tooManyRequests(ctx, wait);
                    return;
                }
            }
            then.accept(ctx, identity);
        }, failure -> {
            if (!(failure instanceof AuthenticationFailedException)) {
                LOG.warnf("authentication failed unexpectedly: %s", failure.toString());
            }
            invalidToken(ctx);
        });
    }

    private void invalidToken(RoutingContext ctx) {
        if (!ctx.response().headWritten()) {
            metrics.authFailed();
            ErrorResponse.unauthorized(ctx, "the bearer token is invalid, expired or not issued by a trusted issuer");
        }
    }
}
