package io.stowage.gateway.supabase;

import io.stowage.contract.SharedErrorCode;
import static io.stowage.gateway.supabase.SupabaseRequests.handler;
import static io.stowage.gateway.supabase.SupabaseRequests.json;
import static io.stowage.gateway.supabase.SupabaseRequests.rid;
import static io.stowage.gateway.supabase.SupabaseRoutes.PREFIX;

import io.stowage.gateway.client.SigningClient;
import io.stowage.gateway.client.UploadClient.Uploader;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.routing.UploadChecks;
import io.stowage.gateway.signed.UploadGrants;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Signed upload URLs: {@code POST /object/upload/sign/{bucket}/{path}} hands out a token with which
 * anyone may upload that one object for two hours, as the signed-in caller; {@code PUT} with
 * {@code ?token=} redeems it, the gateway uploading on the signer's behalf.
 */
@ApplicationScoped
public class SignedUploadRoutes {

    private static final int ANY = Integer.MAX_VALUE;
    /** Supabase's validity of a signed upload URL: two hours. */
    private static final int SIGNED_UPLOAD_SECONDS = 7200;

    private final SupabaseRequests requests;
    private final UploadGrants grants;
    private final SigningClient signing;
    private final UploadChecks uploadChecks;
    private final ObjectUploads uploads;

    public SignedUploadRoutes(SupabaseRequests requests, UploadGrants grants, SigningClient signing,
            UploadChecks uploadChecks, ObjectUploads uploads) {
        this.requests = requests;
        this.grants = grants;
        this.signing = signing;
        this.uploadChecks = uploadChecks;
        this.uploads = uploads;
    }

    void register(Router router) {
        router.post(PREFIX + "/object/upload/sign/:bucket/*").handler(handler(this::signUpload));
        router.put(PREFIX + "/object/upload/sign/:bucket/*").handler(handler(this::signedUpload));
    }

    /**
     * The caller's right is checked now, as Supabase does, by the one rule of signed uploads
     * ({@link UploadGrants}): with {@code x-upsert} an existing object they can see must be theirs to
     * replace; one they cannot see makes a create-only token.
     */
    private void signUpload(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(5, ANY, "object", "upload", "sign")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(3);
        String name = path.name(4);
        requests.userWithBody(ctx, (auth, body) -> {
            boolean upsert = "true".equalsIgnoreCase(ctx.request().getHeader("x-upsert"));
            String owner = SupabaseRequests.identity(ctx).getPrincipal().getName();
            grants.grant(auth, rid(ctx), SupabasePath.decode(bucket), SupabasePath.decode(name), upsert, owner,
                    SIGNED_UPLOAD_SECONDS, UploadGrants.Bounds.NONE, null).onComplete(signed -> requests.answer(ctx, signed, reply -> json(ctx, 200,
                    new JsonObject().put("url", reply.json().getString("url")).put("token", reply.json().getString("token")))));
        });
    }

    /**
     * {@code PUT /object/upload/sign/{bucket}/{path}?token=}: the token is the whole authorization. The
     * body goes to upload-service as the gateway, owned by the user who signed the URL; without upsert in
     * the token an existing object is a 409.
     */
    private void signedUpload(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(5, ANY, "object", "upload", "sign")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(3);
        String name = path.name(4);
        ctx.request().pause();
        String token = ctx.request().getParam("token");
        if (token == null || token.isBlank()) {
            ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "querystring must have required property 'token'");
            return;
        }
        JsonObject verify = new JsonObject().put("token", token).put("scope", "upload")
                .put("bucket", SupabasePath.decode(bucket)).put("name", SupabasePath.decode(name));
        signing.verify(rid(ctx), verify).onComplete(r -> {
            if (r.failed()) {
                requests.failed(ctx, SigningClient.SERVICE, r.cause());
                return;
            }
            Reply reply = r.result();
            if (!reply.ok()) {
                ErrorResponse.relay(ctx, reply.status(), reply.body());
                return;
            }
            Uploader as = Uploader.onBehalfOf(reply.json().getString("owner"), !reply.json().getBoolean("upsert", false));
            uploadChecks.checkAsGateway(ctx, bucket, () -> uploads.start(ctx, bucket, name, as));
        });
    }
}
