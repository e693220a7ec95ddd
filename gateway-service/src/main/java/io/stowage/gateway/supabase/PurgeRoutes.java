package io.stowage.gateway.supabase;

import static io.stowage.gateway.supabase.SupabaseRequests.handler;
import static io.stowage.gateway.supabase.SupabaseRequests.message;
import static io.stowage.gateway.supabase.SupabaseRequests.rid;
import static io.stowage.gateway.supabase.SupabaseRoutes.PREFIX;

import io.stowage.gateway.client.MetadataClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * CDN purge: {@code DELETE /cdn/{bucket}/{path}}, {@code /cdn/{bucket}} and {@code /cdn/}, with
 * {@code ?transformations=true} to include renditions. metadata-service decides who may purge (the
 * service role or an admin) and records the purge as an event (image-service drops the cached
 * renditions, a CDN in front can be purged by a consumer); Supabase answers {@code {message: "success"}}.
 */
@ApplicationScoped
public class PurgeRoutes {

    private final SupabaseRequests requests;
    private final MetadataClient metadata;

    public PurgeRoutes(SupabaseRequests requests, MetadataClient metadata) {
        this.requests = requests;
        this.metadata = metadata;
    }

    void register(Router router) {
        router.delete(PREFIX + "/cdn/*").handler(handler(this::purge));
    }

    private void purge(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(1, Integer.MAX_VALUE, "cdn")) {
            ctx.next();
            return;
        }
        JsonObject request = new JsonObject()
                .put("transformations", "true".equalsIgnoreCase(ctx.request().getParam("transformations")));
        if (path.size() >= 2) {
            request.put("bucket", SupabasePath.decode(path.bucket(1)));
        }
        if (path.size() >= 3) {
            request.put("name", SupabasePath.decode(path.name(2)));
        }
        requests.user(ctx, auth -> metadata.purge(auth, rid(ctx), request)
                .onComplete(r -> requests.answer(ctx, r, reply -> message(ctx, "success"))));
    }
}
