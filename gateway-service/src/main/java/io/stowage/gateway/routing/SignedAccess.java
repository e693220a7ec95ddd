package io.stowage.gateway.routing;

import io.stowage.contract.MediaTypes;
import io.stowage.contract.SharedErrorCode;
import io.stowage.gateway.client.SigningClient;
import io.stowage.gateway.client.UploadClient;
import io.stowage.gateway.client.UploadClient.Upload;
import io.stowage.gateway.client.UploadClient.Uploader;
import io.stowage.gateway.download.Downloads;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.errors.GatewayErrorCode;
import io.stowage.gateway.signed.SignedLinks;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.names.InvalidNameException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The native signed links, redeemed: {@code GET|HEAD /v1/signed/{bucket}/{path}?token=} streams the object
 * a download token names (Range and conditional requests as on every download), {@code PUT} with an
 * upload token streams the body into that one name, on behalf of the user who signed it (create-only
 * unless the token says upsert: 409 on a taken name; of the type and exact length the token binds, when
 * it binds them). The token is the whole authorization: signing-service
 * verifies that it is unexpired, untampered, of the route's scope and for exactly this bucket and name
 * (401 {@code InvalidToken}/{@code TokenExpired}, 403 {@code WrongScope}/{@code WrongObject}).
 */
@ApplicationScoped
public class SignedAccess {

    private final SigningClient signing;
    private final Downloads downloads;
    private final UploadChecks uploadChecks;
    private final UploadClient uploads;
    private final Proxy proxy;

    public SignedAccess(SigningClient signing, Downloads downloads, UploadChecks uploadChecks, UploadClient uploads, Proxy proxy) {
        this.signing = signing;
        this.downloads = downloads;
        this.uploadChecks = uploadChecks;
        this.uploads = uploads;
        this.proxy = proxy;
    }

    void register(Router router) {
        router.route(SignedLinks.SIGNED_PREFIX + "*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::download);
        router.route(HttpMethod.PUT, SignedLinks.SIGNED_PREFIX + "*").handler(this::upload);
    }

    private void download(RoutingContext ctx) {
        verified(ctx, "download", (object, grant) -> downloads.serve(ctx, Downloads.Mode.SIGNED, object.encoded()));
    }

    private void upload(RoutingContext ctx) {
        ctx.request().pause();
        verified(ctx, "upload", (object, grant) -> {
            Uploader as = Uploader.onBehalfOf(grant.getString("owner"), !grant.getBoolean("upsert", false));
            String contentType = withinBounds(ctx, grant);
            if (ctx.response().ended()) {
                return;
            }
            String bucket = object.encoded().substring(0, object.encoded().indexOf('/'));
            uploadChecks.checkAsGateway(ctx, bucket, () -> {
                Upload upload = new Upload(contentType, ctx.request().getHeader("Content-Length"),
                        ctx.request().getHeader("Cache-Control"), null);
                uploads.put(Proxy.requestId(ctx), object.encoded(), as, upload, ctx.request())
                        .onFailure(e -> proxy.failed(ctx, UploadClient.SERVICE, e))
                        .onSuccess(reply -> SigningRoutes.answer(ctx, reply));
            });
        });
    }

    /**
     * The type the upload goes with: the request's, which must be the one the token binds (415 otherwise;
     * without one, the bound one), and a length the token binds must be exactly the request's
     * {@code Content-Length} (411 without one, 413 over, 400 under). Answers the caller when refused.
     */
    private static String withinBounds(RoutingContext ctx, JsonObject grant) {
        String type = ctx.request().getHeader("Content-Type");
        String bound = grant.getString("contentType");
        if (bound != null && type != null && !MediaTypes.essence(type).equals(MediaTypes.essence(bound))) {
            ErrorResponse.sendBeforeBody(ctx, SharedErrorCode.InvalidMimeType, "the signed link is for " + bound + " only");
            return null;
        }
        Long size = grant.getLong("size");
        if (size != null) {
            String length = ctx.request().getHeader("Content-Length");
            if (length == null) {
                ErrorResponse.sendBeforeBody(ctx, GatewayErrorCode.LengthRequired,
                        "the signed link is for exactly " + size + " bytes: send Content-Length");
                return null;
            }
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared != size) {
                ErrorResponse.sendBeforeBody(ctx, declared > size ? SharedErrorCode.PayloadTooLarge : SharedErrorCode.InvalidRequest,
                        "the signed link is for exactly " + size + " bytes, not " + length.trim());
                return null;
            }
        }
        return type != null ? type : bound;
    }

    private interface Granted {
        void accept(Locators object, JsonObject grant);
    }

    /** Runs {@code then} when the request's token grants {@code scope} on the path's object; answers otherwise. */
    private void verified(RoutingContext ctx, String scope, Granted then) {
        Locators object;
        try {
            object = Locators.of(ctx, SignedLinks.SIGNED_PREFIX);
        } catch (InvalidNameException e) {
            ErrorResponse.sendBeforeBody(ctx, 400, e.code(), e.getMessage());
            return;
        }
        String token = ctx.request().getParam("token");
        if (token == null || token.isBlank()) {
            ErrorResponse.sendBeforeBody(ctx, SharedErrorCode.InvalidRequest, "the query must have the signed link's token");
            return;
        }
        JsonObject verify = new JsonObject().put("token", token).put("scope", scope)
                .put("bucket", object.bucket()).put("name", object.name());
        signing.verify(Proxy.requestId(ctx), verify).onFailure(e -> proxy.failed(ctx, SigningClient.SERVICE, e)).onSuccess(reply -> {
            if (!reply.ok()) {
                ErrorResponse.sendBeforeBody(ctx, reply.status(), errorCode(reply.body()), "the signed link is not valid here: "
                        + message(reply.body()));
                return;
            }
            then.accept(object, reply.json());
        });
    }

    private static String errorCode(io.vertx.core.buffer.Buffer body) {
        try {
            return body.toJsonObject().getString("error", SharedErrorCode.InvalidToken.name());
        } catch (RuntimeException e) {
            return SharedErrorCode.InvalidToken.name();
        }
    }

    private static String message(io.vertx.core.buffer.Buffer body) {
        try {
            return body.toJsonObject().getString("message", "refused");
        } catch (RuntimeException e) {
            return "refused";
        }
    }
}
