package io.stowage.upload.auth;

import io.stowage.contract.SharedErrorCode;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.error.UploadException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who calls a streamed route (the direct upload, the resumable uploads): plain Vert.x routes that
 * read the same lazy OIDC identity as the REST routes. A token that names no one is refused (401);
 * {@code X-Stowage-Owner} (uploading on a user's behalf) is honoured only from a token with the
 * service role, and refused (403) from anyone else, before a byte of the body is read.
 */
@ApplicationScoped
public class StreamedCallers {

    /** The user a Stowage service uploads for; honoured only from a token with the service role. */
    public static final String OWNER_HEADER = "X-Stowage-Owner";

    private final String serviceRole;

    public StreamedCallers(UploadConfig config) {
        this.serviceRole = config.serviceRole();
    }

    /** The caller of this request, or a failure with the refusal. */
    public Uni<Caller> resolve(RoutingContext ctx) {
        Uni<SecurityIdentity> identity = ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (identity == null) {
            return Uni.createFrom().failure(new UploadException(SharedErrorCode.Unauthorized, "a valid bearer token is required"));
        }
        return identity.onFailure().transform(t -> new UploadException(SharedErrorCode.Unauthorized, "a valid bearer token is required", t))
                .map(who -> {
                    if (who.isAnonymous() || !(who.getPrincipal() instanceof JsonWebToken jwt) || Caller.subjectOf(jwt) == null) {
                        throw new UploadException(SharedErrorCode.Unauthorized, "a valid bearer token is required");
                    }
                    return caller(who, jwt, ctx.request());
                });
    }

    private Caller caller(SecurityIdentity who, JsonWebToken jwt, HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String owner = request.getHeader(OWNER_HEADER);
        if (owner == null) {
            return new Caller(Caller.subjectOf(jwt), authorization);
        }
        if (!who.hasRole(serviceRole)) {
            throw new UploadException(SharedErrorCode.Forbidden, OWNER_HEADER + " is only accepted from Stowage services");
        }
        owner = owner.trim();
        if (owner.isEmpty() || owner.length() > 255 || owner.chars().anyMatch(Character::isISOControl)) {
            throw new UploadException(SharedErrorCode.InvalidRequest, OWNER_HEADER + " must name a user (a token's sub)");
        }
        return new Caller(owner, authorization, true);
    }
}
