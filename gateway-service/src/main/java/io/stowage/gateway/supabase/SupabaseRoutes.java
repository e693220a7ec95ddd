package io.stowage.gateway.supabase;

import static io.stowage.gateway.supabase.SupabaseRequests.handler;

import io.stowage.gateway.auth.Callers;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.resumable.ResumableRoutes;
import io.stowage.gateway.upstream.Proxy;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Objects;

/**
 * Supabase Storage's REST API under {@code /storage/v1}, route for route and shape for shape, so that
 * {@code @supabase/storage-js} works against Stowage unchanged. This class is the API's entry: what
 * every request gets first (Supabase's error shape, the per-IP limit, the project key as a token), the
 * order of the route classes (each registers its own routes; the more specific paths first), and the
 * 404 of a path none of them knows.
 */
@ApplicationScoped
public class SupabaseRoutes {

    static final String PREFIX = "/storage/v1";
    /** What {@code GET /version} answers: the gateway's build version. */
    private static final String VERSION = Objects.requireNonNullElse(
            SupabaseRoutes.class.getPackage().getImplementationVersion(), "0.1.0-SNAPSHOT");
    /**
     * The words after {@code /object/} that name a route rather than a bucket: a path under one of them
     * that its route class does not take is a 404, never an object in a bucket of that name.
     */
    private static final List<String> OBJECT_ROUTE_WORDS = List.of("list", "list-v2", "move", "copy", "sign", "upload",
            "info", "public", "authenticated");

    private final Callers callers;
    private final BucketRoutes buckets;
    private final ObjectRoutes objects;
    private final ListingRoutes listing;
    private final TransferRoutes transfers;
    private final SignedUrlRoutes signedUrls;
    private final SignedUploadRoutes signedUploads;
    private final PurgeRoutes purge;
    private final RenderRoutes render;
    private final ResumableRoutes resumable;

    public SupabaseRoutes(Callers callers, BucketRoutes buckets, ObjectRoutes objects, ListingRoutes listing,
            TransferRoutes transfers, SignedUrlRoutes signedUrls, SignedUploadRoutes signedUploads, PurgeRoutes purge,
            RenderRoutes render, ResumableRoutes resumable) {
        this.resumable = resumable;
        this.callers = callers;
        this.buckets = buckets;
        this.objects = objects;
        this.listing = listing;
        this.transfers = transfers;
        this.signedUrls = signedUrls;
        this.signedUploads = signedUploads;
        this.purge = purge;
        this.render = render;
    }

    void register(@Observes Router router) {
        router.route(PREFIX + "/*").handler(this::admit);
        // health and version, without a token, as Supabase answers them
        router.route(PREFIX + "/status").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(handler((ctx, path) -> plain(ctx, path, "status", "")));
        router.route(PREFIX + "/version").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(handler((ctx, path) -> plain(ctx, path, "version", VERSION)));
        resumable.registerSupabase(router);
        buckets.register(router);
        purge.register(router);
        render.register(router);
        listing.register(router);
        transfers.register(router);
        signedUrls.register(router);
        signedUploads.register(router);
        objects.registerNamed(router);
        for (String word : OBJECT_ROUTE_WORDS) {
            router.route(PREFIX + "/object/" + word + "/*").handler(SupabaseRequests::notFound);
        }
        objects.registerByBucket(router);
        router.route(PREFIX + "/*").handler(SupabaseRequests::notFound);
    }

    /** First stop of every Supabase request: its error shape, request id, the client IP's limit, the project key. */
    private void admit(RoutingContext ctx) {
        ctx.put(ErrorResponse.SUPABASE_STYLE, Boolean.TRUE);
        ctx.request().pause();
        Proxy.requestId(ctx);
        if (!callers.admitIp(ctx)) {
            return;
        }
        // storage-js sends the project key as `apikey`; without an Authorization header it is the token
        String apikey = ctx.request().getHeader("apikey");
        if (ctx.request().getHeader("Authorization") == null && apikey != null && apikey.chars().filter(ch -> ch == '.').count() == 2) {
            ctx.request().headers().set("Authorization", "Bearer " + apikey);
        }
        ctx.next();
    }

    private static void plain(RoutingContext ctx, SupabasePath path, String route, String text) {
        if (!path.fits(1, 1, route)) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8").end(text);
    }
}
