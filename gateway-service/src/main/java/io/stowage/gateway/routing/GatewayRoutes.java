package io.stowage.gateway.routing;

import io.stowage.gateway.auth.Callers;
import io.stowage.gateway.download.Downloads;
import io.stowage.gateway.errors.ErrorResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The public routes of the native API ({@code /v1}) and which service answers each. Every route
 * needs a signed-in caller; the caller's token travels on to the service, which checks it again.
 */
@ApplicationScoped
public class GatewayRoutes {

    private static final String OBJECTS_PREFIX = "/v1/objects/";

    private final Proxy proxy;
    private final Downloads downloads;
    private final GatewayConfig config;

    public GatewayRoutes(Proxy proxy, Downloads downloads, GatewayConfig config) {
        this.proxy = proxy;
        this.downloads = downloads;
        this.config = config;
    }

    void register(@Observes Router router) {
        router.route("/v1/buckets").handler(ctx -> toService(ctx, "metadata-service", config.metadataUrl()));
        router.route("/v1/buckets/*").handler(ctx -> toService(ctx, "metadata-service", config.metadataUrl()));

        router.post("/v1/files/presigned-url").handler(ctx -> toService(ctx, "upload-service", config.uploadUrl()));
        router.post("/v1/files").handler(ctx -> toService(ctx, "upload-service", config.uploadUrl()));
        router.routeWithRegex(HttpMethod.GET, "/v1/files/[^/]+").handler(ctx -> toService(ctx, "metadata-service", config.metadataUrl()));
        router.routeWithRegex(HttpMethod.DELETE, "/v1/files/[^/]+").handler(ctx -> toService(ctx, "metadata-service", config.metadataUrl()));

        router.route(HttpMethod.GET, "/v1/objects/*").handler(this::download);
        router.route(HttpMethod.HEAD, "/v1/objects/*").handler(this::download);

        router.route("/v1/*").last().handler(ctx -> ErrorResponse.send(ctx, 404, "NotFound",
                "no route " + ctx.request().method() + " " + ctx.normalizedPath()));
    }

    private void toService(RoutingContext ctx, String service, String baseUrl) {
        Proxy.requestId(ctx);
        Callers.requireUser(ctx, (c, identity) -> proxy.forward(c, service, baseUrl, c.request().uri()));
    }

    private void download(RoutingContext ctx) {
        Proxy.requestId(ctx);
        // the raw path, not Vert.x's normalised one: object names are passed on exactly as sent
        String raw = ctx.request().path();
        if (!raw.startsWith(OBJECTS_PREFIX) || raw.indexOf('/', OBJECTS_PREFIX.length()) < 0) {
            ErrorResponse.send(ctx, 400, "InvalidObjectName", "expected /v1/objects/{bucket}/{path}");
            return;
        }
        String bucketAndPath = raw.substring(OBJECTS_PREFIX.length());
        Callers.requireUser(ctx, (c, identity) -> downloads.serve(c, bucketAndPath));
    }
}
