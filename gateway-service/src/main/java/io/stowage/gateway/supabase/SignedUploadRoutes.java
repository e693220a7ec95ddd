package io.stowage.gateway.supabase;

import io.stowage.contract.SharedErrorCode;
import static io.stowage.gateway.supabase.SupabaseRequests.handler;
import static io.stowage.gateway.supabase.SupabaseRequests.json;
import static io.stowage.gateway.supabase.SupabaseRequests.rid;
import static io.stowage.gateway.supabase.SupabaseRoutes.PREFIX;

import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.client.SigningClient;
import io.stowage.gateway.client.UploadClient.Uploader;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.routing.UploadChecks;
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
    private final MetadataClient metadata;
    private final SigningClient signing;
    private final UploadChecks uploadChecks;
    private final ObjectUploads uploads;

    public SignedUploadRoutes(SupabaseRequests requests, MetadataClient metadata, SigningClient signing,
            UploadChecks uploadChecks, ObjectUploads uploads) {
        this.requests = requests;
        this.metadata = metadata;
        this.signing = signing;
        this.uploadChecks = uploadChecks;
        this.uploads = uploads;
    }

    void register(Router router) {
        router.post(PREFIX + "/object/upload/sign/:bucket/*").handler(handler(this::signUpload));
        router.put(PREFIX + "/object/upload/sign/:bucket/*").handler(handler(this::signedUpload));
    }

    /**
     * The caller's right is checked now, as Supabase does: the bucket must be theirs to see, and with
     * {@code x-upsert} an existing object they can see must be theirs (or they an admin: 403 otherwise).
     * An object they cannot see is not there for them: the token is a create-only one, whatever
     * {@code x-upsert} said.
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
            String decodedBucket = SupabasePath.decode(bucket);
            String decodedName = SupabasePath.decode(name);
            metadata.bucket(auth, rid(ctx), bucket).onComplete(found -> requests.answer(ctx, found, ignored -> {
                if (!upsert) {
                    issueUploadToken(ctx, bucket, name, false, owner);
                    return;
                }
                // whether the caller may replace what is there is the catalog's rule, asked as the caller: a
                // free name is signed as a create (so nobody's object created meanwhile can be overwritten);
                // a name taken by an object they may replace with upsert; one they may see but not change is
                // 403; one they cannot see answers as taken (409) and is signed as a create, neither revealed
                // now nor overwritten later (its upload meets the existing name as any create does: 409)
                metadata.writeCheck(auth, rid(ctx), decodedBucket, decodedName, false).onComplete(free -> {
                    if (free.succeeded() && free.result().ok()) {
                        issueUploadToken(ctx, bucket, name, false, owner);
                    } else if (free.succeeded() && free.result().status() == 409) {
                        metadata.writeCheck(auth, rid(ctx), decodedBucket, decodedName, true).onComplete(replace -> {
                            if (replace.succeeded() && replace.result().status() == 409) {
                                issueUploadToken(ctx, bucket, name, false, owner);
                            } else {
                                requests.answer(ctx, replace, ok -> issueUploadToken(ctx, bucket, name, true, owner));
                            }
                        });
                    } else {
                        requests.answer(ctx, free, ok -> issueUploadToken(ctx, bucket, name, false, owner));
                    }
                });
            }));
        });
    }

    private void issueUploadToken(RoutingContext ctx, String bucket, String name, boolean upsert, String owner) {
        JsonObject request = new JsonObject().put("operation", "stowage:upload").put("bucket", SupabasePath.decode(bucket))
                .put("name", SupabasePath.decode(name)).put("upsert", upsert).put("owner", owner)
                .put("expiresIn", SIGNED_UPLOAD_SECONDS);
        signing.sign(rid(ctx), request).onComplete(signed -> requests.answer(ctx, signed, reply -> json(ctx, 200,
                new JsonObject().put("url", reply.json().getString("url")).put("token", reply.json().getString("token")))));
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
