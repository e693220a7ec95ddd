package io.stowage.gateway.supabase;

import io.stowage.gateway.routing.Fields;
import io.stowage.contract.SharedErrorCode;
import static io.stowage.gateway.supabase.SupabaseRequests.handler;
import static io.stowage.gateway.supabase.SupabaseRequests.json;
import static io.stowage.gateway.supabase.SupabaseRequests.message;
import static io.stowage.gateway.supabase.SupabaseRequests.rid;
import static io.stowage.gateway.supabase.SupabaseRoutes.PREFIX;

import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.errors.ErrorResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code POST /object/move} and {@code POST /object/copy}: catalog rows only, never the bytes. */
@ApplicationScoped
public class TransferRoutes {

    private final SupabaseRequests requests;
    private final MetadataClient metadata;

    public TransferRoutes(SupabaseRequests requests, MetadataClient metadata) {
        this.requests = requests;
        this.metadata = metadata;
    }

    void register(Router router) {
        router.post(PREFIX + "/object/move").handler(handler((ctx, path) -> transfer(ctx, path, false)));
        router.post(PREFIX + "/object/copy").handler(handler((ctx, path) -> transfer(ctx, path, true)));
    }

    private void transfer(RoutingContext ctx, SupabasePath path, boolean copy) {
        if (!path.fits(2, 2, "object", copy ? "copy" : "move")) {
            ctx.next();
            return;
        }
        requests.userWithBody(ctx, (auth, body) -> {
            String bucket = Fields.string(body, "bucketId");
            String source = Fields.string(body, "sourceKey");
            String destination = Fields.string(body, "destinationKey");
            if (bucket == null || source == null || destination == null) {
                ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "bucketId, sourceKey and destinationKey are required");
                return;
            }
            JsonObject request = new JsonObject().put("bucket", bucket).put("name", source)
                    .put("destinationBucket", Fields.string(body, "destinationBucket", bucket))
                    .put("destinationName", destination)
                    .put("overwrite", "true".equalsIgnoreCase(ctx.request().getHeader("x-upsert")));
            if (body.getValue("sourceVersionId") != null) {
                request.put("sourceVersionId", body.getValue("sourceVersionId"));
            }
            if (copy && !copyOptions(ctx, body, request)) {
                return;
            }
            if (copy) {
                metadata.copy(auth, rid(ctx), request)
                        .onComplete(r -> requests.answer(ctx, r, reply -> json(ctx, 200, SupabaseShapes.key(reply.json()))));
            } else {
                metadata.move(auth, rid(ctx), request)
                        .onComplete(r -> requests.answer(ctx, r, reply -> message(ctx, "Successfully moved")));
            }
        });
    }

    /** What only a copy takes: its own user metadata, or the overrides of {@code copyMetadata: false}; false when answered 400. */
    private static boolean copyOptions(RoutingContext ctx, JsonObject body, JsonObject request) {
        // x-metadata (base64 of a JSON object) is the copy's own user metadata
        String ownHeader = ctx.request().getHeader("x-metadata");
        if (ownHeader != null) {
            JsonObject own = userMetadata(ownHeader);
            if (own == null) {
                ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "x-metadata must be base64-encoded JSON of an object");
                return false;
            }
            request.put("metadata", own);
        }
        // copyMetadata false drops the user metadata and applies the given overrides
        if (Boolean.FALSE.equals(body.getValue("copyMetadata"))) {
            request.put("copyMetadata", false);
            JsonObject overrides = body.getValue("metadata") instanceof JsonObject given ? given : new JsonObject();
            if (overrides.getValue("cacheControl") != null) {
                request.put("cacheControl", overrides.getValue("cacheControl"));
            }
            if (overrides.getValue("mimetype") != null) {
                request.put("contentType", overrides.getValue("mimetype"));
            }
            if (overrides.getValue("contentEncoding") != null) {
                request.put("contentEncoding", overrides.getValue("contentEncoding"));
            }
        }
        return true;
    }

    /** The JSON object in an {@code x-metadata} header (base64), or null when it is not one. */
    private static JsonObject userMetadata(String header) {
        try {
            return new JsonObject(new String(Base64.getDecoder().decode(header.trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            return null;
        }
    }
}
