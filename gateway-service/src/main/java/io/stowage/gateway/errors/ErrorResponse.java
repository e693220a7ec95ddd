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
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader("Retry-After", "1");
        }
        send(ctx, 503, "UpstreamUnavailable", service + " is unavailable");
    }

    public static void upstreamTimeout(RoutingContext ctx, String service) {
        send(ctx, 504, "UpstreamTimeout", service + " did not answer in time");
    }

    public static void tooManyRequests(RoutingContext ctx, long retryAfterSeconds) {
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
        send(ctx, 429, "TooManyRequests", "rate limit exceeded; retry after " + retryAfterSeconds + " s");
    }
}
