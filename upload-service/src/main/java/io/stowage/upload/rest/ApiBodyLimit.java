package io.stowage.upload.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.direct.DirectUploadRoute;
import io.stowage.upload.error.RouteReplies;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.tus.TusRoutes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The small body limit of the JSON routes. Quarkus's own body limit is lifted for the streamed routes
 * (direct PUT, resumable PATCH), so every other route is held to {@code max-api-body} here, before it
 * reads a byte.
 */
@ApplicationScoped
public class ApiBodyLimit {

    private final long maxApiBody;

    public ApiBodyLimit(UploadConfig config) {
        this.maxApiBody = config.maxApiBody();
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::limit);
    }

    private void limit(RoutingContext ctx) {
        boolean streamed = ctx.request().method() == HttpMethod.PUT && ctx.request().path().startsWith(DirectUploadRoute.PREFIX)
                // resumable uploads carry file bytes too: each PATCH is bounded by the upload's own length
                || ctx.request().path().startsWith(TusRoutes.PREFIX);
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (!streamed && length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxApiBody) {
                    RouteReplies.reply(ctx, new UploadException(SharedErrorCode.PayloadTooLarge,
                            "request bodies of this route are limited to " + maxApiBody + " bytes"));
                    return;
                }
            } catch (NumberFormatException e) {
                RouteReplies.reply(ctx, new UploadException(SharedErrorCode.InvalidRequest, "Content-Length is not a number"));
                return;
            }
        }
        ctx.next();
    }
}
