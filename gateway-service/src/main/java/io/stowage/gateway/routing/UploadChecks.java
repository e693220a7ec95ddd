package io.stowage.gateway.routing;

import io.stowage.gateway.download.ObjectLookups;
import io.stowage.contract.MediaTypes;
import io.stowage.contract.SharedErrorCode;
import java.util.List;

import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * Checks a streamed upload against its bucket before any byte is sent on: the bucket exists, the
 * declared size is within its limit (413) and the type is allowed (415). upload-service checks again,
 * and checks what actually arrives; checking first here means a refusal is a clean answer rather than a
 * connection the upstream closes in the middle of a body.
 */
@ApplicationScoped
public class UploadChecks {

    private final MetadataClient metadata;
    private final ObjectLookups lookups;

    public UploadChecks(MetadataClient metadata, ObjectLookups lookups) {
        this.metadata = metadata;
        this.lookups = lookups;
    }

    /** Runs {@code then} when the upload may go; otherwise answers the caller. The request stays paused. */
    public void check(RoutingContext ctx, String rawBucket, Runnable then) {
        check(ctx, rawBucket, ctx.request().getHeader("Authorization"), then);
    }

    /** As {@link #check(RoutingContext, String, Runnable)}, looking the bucket up with {@code authorization}. */
    public void check(RoutingContext ctx, String rawBucket, String authorization, Runnable then) {
        JsonObject kept = lookups.bucket(authorization, rawBucket);
        if (kept != null) {
            decide(ctx, kept, then);
            return;
        }
        ObjectLookups.Stamp stamp = lookups.stampBucket(rawBucket);
        decide(ctx, metadata.bucket(authorization, Proxy.requestId(ctx), rawBucket)
                .onSuccess(reply -> {
                    if (reply.status() == 200) {
                        lookups.keepBucket(authorization, rawBucket, stamp, reply.json());
                    }
                }), then);
    }

    /** As {@link #check(RoutingContext, String, Runnable)}, looking the bucket up as the gateway (a signed upload). */
    public void checkAsGateway(RoutingContext ctx, String rawBucket, Runnable then) {
        decide(ctx, metadata.bucketAsGateway(Proxy.requestId(ctx), rawBucket), then);
    }

    private void decide(RoutingContext ctx, Future<Reply> bucket, Runnable then) {
        bucket.onComplete(result -> {
            if (result.failed()) {
                ErrorResponse.upstreamUnavailable(ctx, MetadataClient.SERVICE);
                return;
            }
            if (!result.result().ok()) {
                ErrorResponse.relay(ctx, result.result().status(), result.result().body());
                return;
            }
            decide(ctx, result.result().json(), then);
        });
    }

    private static void decide(RoutingContext ctx, JsonObject bucket, Runnable then) {
        String refusal = refusal(bucket, ctx.request().getHeader("Content-Length"), ctx.request().getHeader("Content-Type"));
        if (refusal == null) {
            then.run();
        } else {
            ErrorResponse.sendBeforeBody(ctx, refusal.startsWith("size") ? SharedErrorCode.PayloadTooLarge
                    : SharedErrorCode.InvalidMimeType, refusal.substring(5));
        }
    }

    /** @return null when allowed, else "size:" or "type:" and the reason */
    public static String refusal(JsonObject bucket, String contentLength, String contentType) {
        Long limit = bucket.getLong("fileSizeLimit");
        if (limit != null && contentLength != null) {
            try {
                if (Long.parseLong(contentLength.trim()) > limit) {
                    return "size:the object exceeds the bucket's limit of " + limit + " bytes";
                }
            } catch (NumberFormatException ignored) {
                // a malformed length is upload-service's to refuse
            }
        }
        JsonArray allowed = bucket.getJsonArray("allowedMimeTypes");
        if (allowed != null && !allowed.isEmpty() && contentType != null
                && !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            List<String> patterns = allowed.stream().map(String::valueOf).toList();
            if (MediaTypes.allowed(patterns, contentType)) {
                return null;
            }
            return "type:mime type " + MediaTypes.essence(contentType) + " is not supported";
        }
        return null;
    }
}
