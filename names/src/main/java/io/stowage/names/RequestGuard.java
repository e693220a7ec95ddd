package io.stowage.names;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The first check of every request a Stowage service takes: its path must decode strictly to names
 * that follow {@link RequestPaths}' rules, and its query must decode cleanly. Anything else is
 * refused with 400 in the error shape before a route, a token check or a database sees it. The
 * path's canonical form is left in the routing context for routes that pass the request on.
 */
@ApplicationScoped
public class RequestGuard {

    /** The routing-context key of the request's canonical (decoded, checked, re-encoded) path. */
    public static final String CANONICAL_PATH = "stowage.canonical-path";

    /** Supabase Storage's API prefix on the gateway: its errors carry statusCode as a string. */
    private static final String SUPABASE_PREFIX = "/storage/v1/";

    /** Ahead of CORS, authentication and every route. */
    private static final int PRIORITY = 10_000;

    public void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    public void check(RoutingContext ctx) {
        String path = ctx.request().path();
        try {
            String canonical = RequestPaths.canonicalPath(path);
            RequestPaths.checkQuery(ctx.request().query());
            ctx.put(CANONICAL_PATH, canonical);
        } catch (InvalidNameException e) {
            refuse(ctx, path != null && path.startsWith(SUPABASE_PREFIX), e);
            return;
        }
        ctx.next();
    }

    /** The canonical path and the raw query of this request: the target to pass on to another service. */
    public static String target(RoutingContext ctx) {
        String canonical = ctx.get(CANONICAL_PATH);
        String path = canonical != null ? canonical : RequestPaths.canonicalPath(ctx.request().path());
        String query = ctx.request().query();
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    private static void refuse(RoutingContext ctx, boolean supabase, InvalidNameException e) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            return;
        }
        JsonObject body = supabase
                ? new JsonObject().put("statusCode", "400").put("code", "InvalidKey").put("error", "Invalid Input")
                        .put("message", e.getMessage())
                : new JsonObject().put("statusCode", 400).put("error", e.code()).put("message", e.getMessage());
        if (!ctx.request().isEnded() && ctx.request().version() != HttpVersion.HTTP_2) {
            // the body was never read: this connection cannot carry another request
            response.putHeader("Connection", "close");
        }
        response.setStatusCode(400).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
