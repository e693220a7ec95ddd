package io.stowage.gateway.errors;

import io.stowage.contract.SharedErrorCode;
import io.stowage.contract.ErrorCode;
import io.stowage.contract.ErrorBody;
import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.DependencyUnavailable.Dependency;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Stowage's error shape ({@link ErrorBody}) on the gateway's own answers, or Supabase's on its routes. */
public final class ErrorResponse {

    private ErrorResponse() {
    }

    /** The routing-context key that makes this request's errors use Supabase Storage's shape. */
    public static final String SUPABASE_STYLE = "stowage.errors.supabase";

    public static void send(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().closed() || ctx.response().ended()) {
            // the client went away (or was answered): writing would throw out of the callback that answers
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        int httpStatus = status;
        JsonObject body = JsonObject.mapFrom(new ErrorBody(status, code, message));
        if (Boolean.TRUE.equals(ctx.get(SUPABASE_STYLE))) {
            SupabaseErrors.Rendered rendered = SupabaseErrors.render(status, code, message);
            httpStatus = rendered.httpStatus();
            body = rendered.body();
        }
        if (httpStatus == 503 && ctx.response().headers().get("Retry-After") == null) {
            // every 503 says when to come back, also one relayed from a service
            ctx.response().putHeader("Retry-After", String.valueOf(DependencyUnavailable.DEFAULT_RETRY_AFTER_SECONDS));
        }
        ctx.response().setStatusCode(httpStatus)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    /**
     * An error answered before the request's body was read: HTTP/1.1 cannot go on on this connection,
     * so it is closed after the answer (HTTP/2 forbids the header and resets the stream instead).
     */
    public static void sendBeforeBody(RoutingContext ctx, int status, String code, String message) {
        if (ctx.request().version() != HttpVersion.HTTP_2 && !ctx.response().headWritten()) {
            ctx.response().putHeader("Connection", "close");
        }
        send(ctx, status, code, message);
    }

    /** An error answered with its code's usual status. */
    public static void send(RoutingContext ctx, ErrorCode code, String message) {
        send(ctx, code.status(), code.name(), message);
    }

    /** {@link #sendBeforeBody(RoutingContext, int, String, String)} with its code's usual status. */
    public static void sendBeforeBody(RoutingContext ctx, ErrorCode code, String message) {
        sendBeforeBody(ctx, code.status(), code.name(), message);
    }

    /** Passes on an error a service answered, in this request's error shape. */
    public static void relay(RoutingContext ctx, int status, Buffer body) {
        JsonObject error;
        try {
            error = body.toJsonObject();
        } catch (RuntimeException notJson) {
            error = new JsonObject();
        }
        send(ctx, status, error.getString("error", (status >= 500 ? SharedErrorCode.UpstreamUnavailable : SharedErrorCode.InvalidRequest).name()),
                error.getString("message", "the request failed with status " + status));
    }

    public static void unauthorized(RoutingContext ctx, String message) {
        if (ctx.response().headWritten()) {
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        // Supabase names the missing header itself (400, statusCode "400"); a token it refuses is "403"
        boolean missing = ctx.request().getHeader("Authorization") == null;
        send(ctx, missing && Boolean.TRUE.equals(ctx.get(SUPABASE_STYLE)) ? GatewayErrorCode.MissingAuthorization
                : SharedErrorCode.Unauthorized, message);
    }

    public static void upstreamUnavailable(RoutingContext ctx, String service) {
        unavailable(ctx, service, "unreachable", DependencyUnavailable.DEFAULT_RETRY_AFTER_SECONDS);
    }

    /**
     * 503 with {@code Retry-After}: {@code service} gave no answer ({@code why}). The code names what is
     * unavailable as the services name it ({@link #outageCode}).
     */
    public static void unavailable(RoutingContext ctx, String service, String why, long retryAfterSeconds) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return;
        }
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, retryAfterSeconds)));
        }
        send(ctx, 503, outageCode(service), service + " is unavailable (" + why + ")");
    }

    /** The outage code of a service the gateway calls: the dependency it stands for, or UpstreamUnavailable. */
    public static String outageCode(String service) {
        Dependency dependency = switch (service) {
            case "metadata-service" -> Dependency.CATALOG;
            case "signing-service" -> Dependency.SIGNING;
            case "object store" -> Dependency.STORAGE;
            case "upload-service" -> Dependency.UPLOADS;
            case "image-service" -> Dependency.IMAGES;
            case "token issuer" -> Dependency.IDENTITY;
            default -> null;
        };
        return dependency == null ? SharedErrorCode.UpstreamUnavailable.name() : dependency.code();
    }

    public static void tooManyRequests(RoutingContext ctx, long retryAfterSeconds) {
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
        send(ctx, GatewayErrorCode.TooManyRequests, "rate limit exceeded; retry after " + retryAfterSeconds + " s");
    }
}
