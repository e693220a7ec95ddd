package io.stowage.gateway.errors;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Stowage's error shape on the gateway's own answers: {@code {"statusCode","error","message"}}. */
public final class ErrorResponse {

    private ErrorResponse() {
    }

    public static void send(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        String body = new JsonObject().put("statusCode", status).put("error", code).put("message", message).encode();
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }

    public static void unauthorized(RoutingContext ctx, String message) {
        if (ctx.response().headWritten()) {
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        send(ctx, 401, "Unauthorized", message);
    }

    public static void upstreamUnavailable(RoutingContext ctx, String service) {
        send(ctx, 502, "UpstreamUnavailable", service + " did not answer");
    }
}
