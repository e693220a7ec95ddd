package io.stowage.gateway.routing;

import io.stowage.contract.SharedErrorCode;
import io.stowage.gateway.config.GatewayConfig;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.gateway.auth.Callers;
import io.stowage.gateway.download.Downloads;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.resumable.ResumableRoutes;
import io.stowage.gateway.signed.SignedLinks;
import io.stowage.names.InvalidNameException;
import io.stowage.names.RequestGuard;
import io.stowage.names.RequestPaths;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The public routes of the native API ({@code /v1}) and which service answers each. Every call is
 * rate limited per client IP, then per caller; every route but the public download needs a signed-in
 * caller, whose token travels on to the service, which checks it again.
 */
@ApplicationScoped
public class GatewayRoutes {

    private static final String OBJECTS_PREFIX = "/v1/objects/";
    private static final String PUBLIC_PREFIX = "/v1/public/";
    /** A file id as the catalog makes them: checked before it is put in a URL. */
    static final java.util.regex.Pattern FILE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Proxy proxy;
    private final Downloads downloads;
    private final GatewayConfig config;
    private final Callers callers;
    private final UploadChecks uploadChecks;

    private final ResumableRoutes resumable;
    private final FileReads fileReads;
    private final SigningRoutes signingRoutes;
    private final SignedAccess signedAccess;

    public GatewayRoutes(Proxy proxy, Downloads downloads, GatewayConfig config, Callers callers, UploadChecks uploadChecks,
                         ResumableRoutes resumable, FileReads fileReads, SigningRoutes signingRoutes, SignedAccess signedAccess) {
        this.signingRoutes = signingRoutes;
        this.signedAccess = signedAccess;
        this.fileReads = fileReads;
        this.resumable = resumable;
        this.uploadChecks = uploadChecks;
        this.proxy = proxy;
        this.downloads = downloads;
        this.config = config;
        this.callers = callers;
    }

    void register(@Observes Router router) {
        router.route("/v1/*").handler(this::guard);
        router.route("/img/*").handler(this::guard);

        String metadata = "metadata-service";
        String upload = "upload-service";
        // catalog: buckets, background jobs
        router.route("/v1/buckets").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        router.route("/v1/buckets/*").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        router.get("/v1/jobs/:id").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        // usage per owner (a bucket's is under /v1/buckets/{name}/usage)
        router.get("/v1/usage").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        // the reconciler (admins): upload-service owns the blobs it walks
        router.route("/v1/admin/reconcile").handler(ctx -> toService(ctx, upload, config.uploadUrl()));

        // uploads: presigned single and multipart (the bytes go straight to S3)
        router.post("/v1/files/presigned-url").handler(ctx -> toService(ctx, upload, config.uploadUrl()));
        router.route("/v1/files/multipart/*").handler(ctx -> toService(ctx, upload, config.uploadUrl()));
        router.post("/v1/files").handler(ctx -> toService(ctx, upload, config.uploadUrl()));

        // signed and public URLs (before the catalog's /v1/files/{id} routes, which would take their paths)
        signingRoutes.register(router);
        signedAccess.register(router);

        // catalog: files
        router.get("/v1/files").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        router.post("/v1/files/delete").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        router.post("/v1/files/move").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        router.post("/v1/files/copy").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        router.route("/v1/files/by-path/*").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        router.routeWithRegex(HttpMethod.GET, "/v1/files/[^/]+/download").handler(this::downloadById);
        router.routeWithRegex(HttpMethod.GET, "/v1/files/[^/]+/versions").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));
        router.routeWithRegex(HttpMethod.GET, "/v1/files/[^/]+").handler(this::fileById);
        router.routeWithRegex("/v1/files/[^/]+").handler(ctx -> toService(ctx, metadata, config.metadataUrl()));

        // resumable uploads (tus) through upload-service
        resumable.registerNative(router);

        // direct streamed upload through upload-service
        router.route(HttpMethod.PUT, "/v1/objects/*").handler(this::directUpload);
        router.route(HttpMethod.GET, "/v1/objects/*").handler(ctx -> downloadByPath(ctx, OBJECTS_PREFIX, Downloads.Mode.PRIVATE));
        router.route(HttpMethod.HEAD, "/v1/objects/*").handler(ctx -> downloadByPath(ctx, OBJECTS_PREFIX, Downloads.Mode.PRIVATE));
        router.route(HttpMethod.GET, "/v1/public/*").handler(ctx -> downloadByPath(ctx, PUBLIC_PREFIX, Downloads.Mode.PUBLIC));
        router.route(HttpMethod.HEAD, "/v1/public/*").handler(ctx -> downloadByPath(ctx, PUBLIC_PREFIX, Downloads.Mode.PUBLIC));

        // images: Thumbor-style URLs, passed on as they are (image-service checks signatures and access)
        router.route(HttpMethod.GET, "/img/*").handler(ctx -> images(ctx));
        router.route(HttpMethod.HEAD, "/img/*").handler(ctx -> images(ctx));

        // unknown routes still count against the caller's limit, and a bad token is still refused
        router.route("/v1/*").last().handler(ctx -> callers.allowAnonymous(ctx, (c, identity) -> ErrorResponse.send(c, 404,
                "NotFound", "no route " + c.request().method() + " " + c.normalizedPath())));
    }

    /** First stop of every /v1 call: request id, the client IP's rate limit, and the size of a JSON body. */
    private void guard(RoutingContext ctx) {
        Proxy.requestId(ctx);
        if (!callers.admitIp(ctx)) {
            return;
        }
        if (ctx.request().method() == HttpMethod.PUT && (ctx.request().path().startsWith(OBJECTS_PREFIX)
                || ctx.request().path().startsWith(SignedLinks.SIGNED_PREFIX))
                || ResumableRoutes.carriesFileBytes(ctx.request().path())) {
            // a direct upload streams file bytes of any size; upload-service applies the bucket's own limit
            ctx.next();
            return;
        }
        if (ApiBodies.withinLimit(ctx, config.maxJsonBody())) {
            ctx.next();
        }
    }

    private void toService(RoutingContext ctx, String service, String baseUrl) {
        callers.requireUser(ctx, (c, identity) -> proxy.forward(c, service, baseUrl, RequestGuard.target(c)));
    }

    private void directUpload(RoutingContext ctx) {
        String bucket;
        try {
            bucket = RequestPaths.encodeSegment(Locators.of(ctx, OBJECTS_PREFIX).bucket());
        } catch (InvalidNameException e) {
            ErrorResponse.sendBeforeBody(ctx, 400, e.code(), e.getMessage());
            return;
        }
        callers.requireUser(ctx, (c, identity) -> uploadChecks.check(c, bucket,
                () -> proxy.forward(c, "upload-service", config.uploadUrl(), RequestGuard.target(c))));
    }

    private void images(RoutingContext ctx) {
        Proxy.requestId(ctx);
        callers.allowAnonymous(ctx, (c, identity) -> proxy.forward(c, "image-service", config.imageUrl(), RequestGuard.target(c)));
    }

    /** A file record by id: kept for the caller for the lookup bound; with a query string, asked each time. */
    private void fileById(RoutingContext ctx) {
        String id = ctx.request().path().substring("/v1/files/".length());
        if (ctx.request().query() != null || !FILE_ID.matcher(id).matches()) {
            toService(ctx, "metadata-service", config.metadataUrl());
            return;
        }
        callers.requireUser(ctx, (c, identity) -> fileReads.serve(c, id));
    }

    private void downloadById(RoutingContext ctx) {
        String path = ctx.request().path();
        String id = path.substring("/v1/files/".length(), path.length() - "/download".length());
        if (!FILE_ID.matcher(id).matches()) {
            ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "a file id is 1-128 characters of A-Z, a-z, 0-9, '-' or '_'");
            return;
        }
        callers.requireUser(ctx, (c, identity) -> downloads.serve(c, Downloads.Mode.BY_ID, id));
    }

    private void downloadByPath(RoutingContext ctx, String prefix, Downloads.Mode mode) {
        // the checked, re-encoded path, never the raw one: what the catalog resolves is what was checked
        String bucketAndPath;
        try {
            bucketAndPath = Locators.of(ctx, prefix).encoded();
        } catch (InvalidNameException e) {
            ErrorResponse.send(ctx, 400, e.code(), e.getMessage());
            return;
        }
        if (mode == Downloads.Mode.PUBLIC) {
            callers.allowAnonymous(ctx, (c, identity) -> downloads.serve(c, mode, bucketAndPath));
        } else {
            callers.requireUser(ctx, (c, identity) -> downloads.serve(c, mode, bucketAndPath));
        }
    }
}
