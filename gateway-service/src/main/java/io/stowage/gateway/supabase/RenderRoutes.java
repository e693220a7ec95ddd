package io.stowage.gateway.supabase;

import static io.stowage.gateway.supabase.SupabaseRoutes.PREFIX;

import io.stowage.gateway.auth.Callers;
import io.stowage.gateway.config.GatewayConfig;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.names.RequestGuard;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Supabase's render routes ({@code /render/image/{public|authenticated|sign}/{bucket}/{path}}), which
 * image-service serves at the same path: passed on as they came (image-service checks tokens and
 * access), with its errors re-rendered in Supabase's shape as the other Supabase routes answer them.
 */
@ApplicationScoped
public class RenderRoutes {

    private static final String SERVICE = "image-service";

    private final Callers callers;
    private final Proxy proxy;
    private final GatewayConfig config;

    public RenderRoutes(Callers callers, Proxy proxy, GatewayConfig config) {
        this.callers = callers;
        this.proxy = proxy;
        this.config = config;
    }

    void register(Router router) {
        router.route(PREFIX + "/render/*").handler(SupabaseRequests.handler(this::render));
    }

    private void render(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(1, Integer.MAX_VALUE, "render")) {
            ctx.next();
            return;
        }
        // the checked, re-encoded path and the query, under image-service's own base URL
        callers.allowAnonymous(ctx, (c, identity) -> proxy.forward(c, SERVICE, config.imageUrl(),
                RequestGuard.target(c).substring(PREFIX.length()), true));
    }
}
