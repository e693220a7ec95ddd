package io.stowage.gateway.routing;

import io.stowage.contract.SharedErrorCode;
import io.stowage.gateway.errors.GatewayErrorCode;
import io.stowage.gateway.errors.ErrorResponse;
import io.vertx.ext.web.RoutingContext;

/** API requests carry small JSON bodies; their size is bounded before anything reads them. */
public final class ApiBodies {

    private ApiBodies() {
    }

    /** @return true when the body may be read; otherwise the caller has been answered (413, 411 or 400) */
    public static boolean withinLimit(RoutingContext ctx, long max) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "Content-Length is not a number");
                return false;
            }
            if (declared > max) {
                if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                    // the body stays unread: HTTP/1.1 cannot go on on this connection (HTTP/2 forbids the header)
                    ctx.response().putHeader("Connection", "close");
                }
                ErrorResponse.send(ctx, SharedErrorCode.PayloadTooLarge, "request bodies of the API are limited to "
                        + max + " bytes; upload file bytes with the upload routes");
                return false;
            }
        } else if (ctx.request().getHeader("Transfer-Encoding") != null) {
            // without a length the size of an API body could not be bounded up front
            ErrorResponse.send(ctx, GatewayErrorCode.LengthRequired, "send a Content-Length with the request body");
            return false;
        }
        return true;
    }
}
