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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** {@code /bucket}: list, create, get, update, delete and empty buckets, in the catalog. */
@ApplicationScoped
public class BucketRoutes {

    /** How long {@code POST /bucket/{id}/empty} waits for the catalog's job: 600 polls 100 ms apart. */
    private static final int EMPTY_POLLS = 600;

    private final SupabaseRequests requests;
    private final MetadataClient metadata;

    public BucketRoutes(SupabaseRequests requests, MetadataClient metadata) {
        this.requests = requests;
        this.metadata = metadata;
    }

    void register(Router router) {
        router.get(PREFIX + "/bucket").handler(handler(this::list));
        router.post(PREFIX + "/bucket").handler(handler(this::create));
        router.get(PREFIX + "/bucket/:bucket").handler(handler(this::get));
        router.put(PREFIX + "/bucket/:bucket").handler(handler(this::update));
        router.delete(PREFIX + "/bucket/:bucket").handler(handler(this::delete));
        router.post(PREFIX + "/bucket/:bucket/empty").handler(handler(this::empty));
    }

    private void list(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(1, 1, "bucket")) {
            ctx.next();
            return;
        }
        BucketListing listing;
        try {
            listing = BucketListing.of(ctx.request());
        } catch (IllegalArgumentException e) {
            ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, e.getMessage());
            return;
        }
        requests.user(ctx, auth -> metadata.buckets(auth, rid(ctx), listing.search())
                .onComplete(r -> requests.answer(ctx, r, reply -> {
                    List<JsonObject> buckets = new ArrayList<>();
                    reply.body().toJsonArray().forEach(b -> buckets.add(SupabaseShapes.bucket((JsonObject) b)));
                    json(ctx, 200, new JsonArray(new ArrayList<>(listing.apply(buckets))));
                })));
    }

    private void create(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(1, 1, "bucket")) {
            ctx.next();
            return;
        }
        requests.userWithBody(ctx, (auth, body) -> {
            String name = Fields.string(body, "id", Fields.string(body, "name"));
            JsonObject create = new JsonObject().put("name", name).put("public", Fields.bool(body, "public", false));
            if (!sizeAndTypes(ctx, body, create)) {
                return;
            }
            metadata.createBucket(auth, rid(ctx), create)
                    .onComplete(r -> requests.answer(ctx, r, reply -> json(ctx, 200, new JsonObject().put("name", name))));
        });
    }

    private void get(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(2, 2, "bucket")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(1);
        requests.user(ctx, auth -> metadata.bucket(auth, rid(ctx), bucket)
                .onComplete(r -> requests.answer(ctx, r, reply -> json(ctx, 200, SupabaseShapes.bucket(reply.json())))));
    }

    private void update(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(2, 2, "bucket")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(1);
        requests.userWithBody(ctx, (auth, body) -> {
            JsonObject patch = new JsonObject();
            if (body.containsKey("public")) {
                patch.put("public", Fields.bool(body, "public"));
            }
            if (!sizeAndTypes(ctx, body, patch)) {
                return;
            }
            metadata.updateBucket(auth, rid(ctx), bucket, patch)
                    .onComplete(r -> requests.answer(ctx, r, reply -> message(ctx, "Successfully updated")));
        });
    }

    private void delete(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(2, 2, "bucket")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(1);
        requests.user(ctx, auth -> metadata.deleteBucket(auth, rid(ctx), bucket)
                .onComplete(r -> requests.answer(ctx, r, reply -> message(ctx, "Successfully deleted"))));
    }

    private void empty(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(3, 3, "bucket", null, "empty")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(1);
        requests.user(ctx, auth -> metadata.emptyBucket(auth, rid(ctx), bucket)
                .onComplete(r -> requests.answer(ctx, r, reply -> awaitJob(ctx, auth, reply.json().getString("id"), EMPTY_POLLS))));
    }

    /** Supabase empties a bucket before it answers; Stowage empties in the background, so wait for the job. */
    private void awaitJob(RoutingContext ctx, String auth, String jobId, int triesLeft) {
        metadata.job(auth, rid(ctx), jobId).onComplete(r -> requests.answer(ctx, r, reply -> {
            String state = reply.json().getString("state", "");
            if (state.equals("done")) {
                message(ctx, "Successfully emptied");
            } else if (state.equals("failed") || triesLeft <= 0) {
                ErrorResponse.send(ctx, SharedErrorCode.InternalError, "emptying the bucket did not finish: "
                        + reply.json().getString("error", state));
            } else {
                ctx.vertx().setTimer(100, t -> awaitJob(ctx, auth, jobId, triesLeft - 1));
            }
        }));
    }

    /** Supabase's {@code file_size_limit} and {@code allowed_mime_types} as the catalog's fields; false when answered 400. */
    private static boolean sizeAndTypes(RoutingContext ctx, JsonObject body, JsonObject into) {
        try {
            if (body.containsKey("file_size_limit")) {
                into.put("fileSizeLimit", SupabaseShapes.fileSizeLimit(body.getValue("file_size_limit")));
            }
        } catch (IllegalArgumentException e) {
            ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, e.getMessage());
            return false;
        }
        if (body.containsKey("allowed_mime_types")) {
            JsonArray types = Fields.strings(body, "allowed_mime_types");
            into.put("allowedMimeTypes", types == null || types.isEmpty() ? null : types);
        }
        return true;
    }
}
