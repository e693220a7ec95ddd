package io.stowage.gateway.routing;

import io.stowage.contract.MediaTypes;
import io.stowage.contract.SharedErrorCode;
import io.stowage.gateway.auth.Callers;
import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.client.SigningClient;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.signed.SignedLinks;
import io.stowage.gateway.signed.UploadGrants;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.stowage.names.NameRules;
import io.stowage.names.RequestPaths;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The native API's signed and public URLs: {@code POST /v1/files/{id}/signed-url} (a download link of one
 * file), {@code POST /v1/files/signed-urls} (many, {@link SignedUrlBatches}), {@code POST
 * /v1/files/signed-upload-url} (a link anyone may PUT one name with, owned by the signer) and {@code GET
 * /v1/files/{id}/public-url}. Whether the caller may read (or write) is asked of metadata-service as the
 * caller, never decided here; signing-service signs the tokens; the links are redeemed at
 * {@code /v1/signed/...} ({@link SignedAccess}).
 */
@ApplicationScoped
public class SigningRoutes {

    private final SignedUrlRequests requests;
    private final SignedUrlBatches batches;
    private final MetadataClient metadata;
    private final SigningClient signing;
    private final UploadGrants grants;
    private final SignedLinks links;
    private final Proxy proxy;
    private final Callers callers;

    public SigningRoutes(SignedUrlRequests requests, SignedUrlBatches batches, MetadataClient metadata, SigningClient signing,
                         UploadGrants grants, SignedLinks links, Proxy proxy, Callers callers) {
        this.callers = callers;
        this.requests = requests;
        this.batches = batches;
        this.metadata = metadata;
        this.signing = signing;
        this.grants = grants;
        this.links = links;
        this.proxy = proxy;
    }

    /** Registered before the catalog's {@code /v1/files/{id}} routes, which would otherwise take these paths. */
    void register(Router router) {
        router.post("/v1/files/signed-urls").handler(ctx -> requests.userWithBody(ctx, (auth, identity, body) ->
                batches.sign(ctx, auth, body)));
        router.post("/v1/files/signed-upload-url").handler(this::signUpload);
        router.routeWithRegex(HttpMethod.POST, "/v1/files/[^/]+/signed-url").handler(this::signOne);
        router.routeWithRegex(HttpMethod.GET, "/v1/files/[^/]+/public-url").handler(this::publicUrl);
    }

    /** {@code POST /v1/files/{id}/signed-url} {@code {expiresIn, download?}} → {@code {url, expiresAt}}. */
    private void signOne(RoutingContext ctx) {
        String id = fileId(ctx, "/signed-url");
        if (id == null) {
            return;
        }
        requests.userWithBody(ctx, (auth, identity, body) -> {
            int expiresIn = SignedUrlRequests.expiresIn(body);
            String download = SignedUrlRequests.download(body);
            metadata.file(auth, Proxy.requestId(ctx), id).compose(file -> {
                if (!file.ok()) {
                    return Future.succeededFuture(file);
                }
                JsonObject object = file.json();
                Reply notCurrent = notCurrent(object, id);
                return notCurrent != null ? Future.succeededFuture(notCurrent)
                        : signing.sign(Proxy.requestId(ctx), downloadToken(object.getString("bucket"), object.getString("name"), expiresIn))
                        .map(signed -> signed.ok() ? withLink(signed, object, download) : signed);
            }).onFailure(e -> proxy.failed(ctx, "upstream", e)).onSuccess(reply -> answer(ctx, reply));
        });
    }

    /**
     * {@code POST /v1/files/signed-upload-url} {@code {bucket, path, contentType?, size?, upsert?, expiresIn}}
     * → {@code {url, method, expiresAt}}: the URL anyone may PUT {@code path} with until it expires, the
     * object owned by the caller. A declared size or type the bucket refuses is refused now (413, 415); one
     * the bucket allows is signed into the token, and the PUT must have it ({@link SignedAccess}).
     */
    private void signUpload(RoutingContext ctx) {
        requests.userWithBody(ctx, (auth, identity, body) -> {
            String bucket = NameRules.requireBucket(required(body, "bucket"));
            String name = NameRules.requireObject(required(body, "path"));
            String contentType = Fields.string(body, "contentType");
            if (contentType != null && !MediaTypes.isValid(contentType)) {
                throw new Fields.WrongType("contentType", "a media type such as image/png");
            }
            Long size = Fields.count(body, "size");
            boolean upsert = Fields.bool(body, "upsert", false);
            int expiresIn = SignedUrlRequests.expiresIn(body);
            UploadGrants.BucketCheck limits = settings -> {
                String refusal = UploadChecks.refusal(settings, size == null ? null : String.valueOf(size), contentType);
                return refusal == null ? null : UploadGrants.refusal(refusal.startsWith("size")
                        ? SharedErrorCode.PayloadTooLarge : SharedErrorCode.InvalidMimeType, refusal.substring(5));
            };
            grants.grant(auth, Proxy.requestId(ctx), bucket, name, upsert, identity.getPrincipal().getName(), expiresIn,
                    new UploadGrants.Bounds(contentType, size), limits)
                    .onFailure(e -> proxy.failed(ctx, "upstream", e))
                    .onSuccess(reply -> answer(ctx, !reply.ok() ? reply : json(new JsonObject()
                            .put("url", links.signed(bucket, name, reply.json().getString("token"), null))
                            .put("method", "PUT").put("expiresAt", reply.json().getString("expiresAt")))));
        });
    }

    /**
     * {@code GET /v1/files/{id}/public-url} → {@code {url}} when anyone may read the file without a token
     * (a public bucket, or a public object): the catalog is asked as an anonymous caller. 404
     * {@code ObjectNotFound} when only signed-in callers may read it.
     */
    private void publicUrl(RoutingContext ctx) {
        String id = fileId(ctx, "/public-url");
        if (id == null) {
            return;
        }
        callers.requireUser(ctx, (c, identity) -> {
            String auth = c.request().getHeader("Authorization");
            String rid = Proxy.requestId(ctx);
            metadata.file(auth, rid, id).compose(file -> {
                if (!file.ok()) {
                    return Future.succeededFuture(file);
                }
                String bucket = file.json().getString("bucket");
                String name = file.json().getString("name");
                Reply notCurrent = notCurrent(file.json(), id);
                return notCurrent != null ? Future.succeededFuture(notCurrent) : metadata.publicObject(null, rid,
                        RequestPaths.encodeSegment(bucket) + "/" + RequestPaths.encodePath(name)).map(anonymous -> anonymous.ok()
                        ? json(new JsonObject().put("url", links.publicUrl(bucket, name)))
                        : UploadGrants.refusal(SharedErrorCode.ObjectNotFound, "file '" + id + "' is not public:"
                                + " only callers with a token may read it (ask for a signed URL)"));
            }).onFailure(e -> proxy.failed(ctx, MetadataClient.SERVICE, e)).onSuccess(reply -> answer(ctx, reply));
        });
    }

    /** A download token of one object, as signing-service is asked for it. */
    static JsonObject downloadToken(String bucket, String name, int expiresIn) {
        return new JsonObject().put("operation", "stowage:download").put("bucket", bucket).put("name", name)
                .put("expiresIn", expiresIn);
    }

    /** The signed link of a signing-service answer: {@code {url, expiresAt}}. */
    Reply withLink(Reply signed, JsonObject object, String download) {
        return json(new JsonObject().put("url", links.signed(object.getString("bucket"), object.getString("name"),
                signed.json().getString("token"), download)).put("expiresAt", signed.json().getString("expiresAt")));
    }

    /** A file id that names an old version or a delete marker has no link: a link serves what its name holds now. */
    static Reply notCurrent(JsonObject file, String id) {
        return file.getBoolean("latest", true) && !file.getBoolean("deleteMarker", false) ? null
                : UploadGrants.refusal(SharedErrorCode.ObjectNotFound, "file '" + id + "' is not the current version of its name");
    }

    /** The checked file id before {@code suffix} in the path; null when the caller was answered 400. */
    private static String fileId(RoutingContext ctx, String suffix) {
        String path = ctx.request().path();
        String id = path.substring("/v1/files/".length(), path.length() - suffix.length());
        if (!GatewayRoutes.FILE_ID.matcher(id).matches()) {
            ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "a file id is 1-128 characters of A-Z, a-z, 0-9, '-' or '_'");
            return null;
        }
        return id;
    }

    private static String required(JsonObject body, String field) {
        String value = Fields.string(body, field);
        if (value == null) {
            throw new Fields.WrongType(field, "given (a string)");
        }
        return value;
    }

    static Reply json(JsonObject body) {
        return new Reply(200, "application/json", body.toBuffer());
    }

    /** A 2xx answer as it is, a refusal in the error shape. */
    static void answer(RoutingContext ctx, Reply reply) {
        if (reply.ok()) {
            ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json").end(reply.body());
        } else {
            ErrorResponse.relay(ctx, reply.status(), reply.body());
        }
    }
}
