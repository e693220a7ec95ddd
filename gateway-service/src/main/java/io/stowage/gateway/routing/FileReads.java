package io.stowage.gateway.routing;

import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.download.ObjectLookups;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.upstream.Proxy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code GET /v1/files/{id}}: the catalog's record of a file as the caller may see it, asked of
 * metadata-service and kept for the caller for the lookup bound ({@link ObjectLookups}; any write
 * through this gateway drops it). Refusals and missing files are asked again each time.
 */
@ApplicationScoped
public class FileReads {

    private static final String JSON = "application/json;charset=UTF-8";

    private final MetadataClient metadata;
    private final ObjectLookups lookups;
    private final Proxy proxy;

    public FileReads(MetadataClient metadata, ObjectLookups lookups, Proxy proxy) {
        this.metadata = metadata;
        this.lookups = lookups;
        this.proxy = proxy;
    }

    /** Answers the file record for a signed-in caller (already verified) by its checked id. */
    public void serve(RoutingContext ctx, String id) {
        String authorization = ctx.request().getHeader("Authorization");
        JsonObject kept = lookups.file(authorization, id);
        if (kept != null) {
            ctx.response().putHeader("Content-Type", JSON).setStatusCode(200).end(kept.toBuffer());
            return;
        }
        ObjectLookups.Stamp stamp = lookups.stampFile();
        metadata.file(authorization, Proxy.requestId(ctx), id)
                .onFailure(e -> proxy.failed(ctx, MetadataClient.SERVICE, e))
                .onSuccess(reply -> {
                    if (!reply.ok()) {
                        ErrorResponse.relay(ctx, reply.status(), reply.body());
                        return;
                    }
                    Buffer body = reply.body();
                    if (reply.status() == 200) {
                        lookups.keepFile(authorization, id, stamp, body.toJsonObject());
                    }
                    ctx.response().putHeader("Content-Type", reply.contentType() == null ? JSON : reply.contentType())
                            .setStatusCode(reply.status()).end(body);
                });
    }
}
