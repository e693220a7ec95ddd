package io.stowage.signing.rest;

import io.smallrye.mutiny.Uni;
import io.stowage.names.NameRules;
import io.stowage.signing.error.SigningException;
import io.stowage.signing.images.ImageUrlSigner;
import io.stowage.signing.tokens.StowageTokens;
import io.stowage.signing.tokens.TokenClaims;
import io.stowage.signing.tokens.TokenScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Verification for services that prefer to ask rather than verify locally from the JWKS. Image
 * URL signatures can only be verified here: their HMAC secret never leaves this service.
 */
@Path("/v1/verify")
@RolesAllowed("${stowage.signing.caller-role}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class VerifyResource {

    private final StowageTokens tokens;
    private final ImageUrlSigner images;

    public VerifyResource(StowageTokens tokens, ImageUrlSigner images) {
        this.tokens = tokens;
        this.images = images;
    }

    @POST
    public Uni<VerifyResponse> verify(VerifyRequest request) {
        return Uni.createFrom().item(() -> check(request));
    }

    private VerifyResponse check(VerifyRequest request) {
        if (request == null) {
            throw new SigningException.InvalidRequest("a JSON body is required");
        }
        if ("image:url".equals(request.scope())) {
            String path = ImageUrlSigner.normalize(request.path());
            images.verify(request.signature(), path);
            return new VerifyResponse(true, "image:url", null, null, null, null, null, null, null, null, path, null, null, null);
        }
        TokenScope scope = TokenScope.parse(request.scope()).orElseThrow(() -> new SigningException.InvalidRequest(
                "scope must be download, upload, image or image:url (got '" + request.scope() + "')"));
        if (request.bucket() == null || request.name() == null) {
            throw new SigningException.InvalidRequest("bucket and name are required");
        }
        NameRules.requireBucket(request.bucket());
        NameRules.requireObject(request.name());
        TokenClaims claims = tokens.verify(request.token(), scope, request.bucket(), request.name(), request.versionId());
        return new VerifyResponse(true, claims.scope().claim(), claims.bucket(), claims.name(), claims.versionId(),
                claims.scope() == TokenScope.UPLOAD ? claims.upsert() : null, claims.owner(),
                claims.issuedAt().toString(), claims.expiresAt().toString(), claims.kid(), null, claims.transform(),
                claims.contentType(), claims.size());
    }
}
