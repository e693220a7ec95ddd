package io.stowage.upload.error;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Error answers of the streamed routes (not JAX-RS): the same JSON as {@link ErrorMapper}, with
 * {@code Retry-After} for an outage. A refusal sent before the body was read lingers a little, reading
 * and dropping what follows, so that the client sees the answer rather than a reset connection.
 */
public final class RouteReplies {

    /** How much of an unread body is read and dropped after an early refusal, so the client sees the answer. */
    private static final long LINGER_BYTES = 8L * 1024 * 1024;
    private static final long LINGER_MILLIS = 2_000;

    private RouteReplies() {
    }

    public static void reply(RoutingContext ctx, Throwable failure) {
        reply(ctx, failure, null);
    }

    /** As {@link #reply(RoutingContext, Throwable)}, with {@code decorate} adding the route's own headers first. */
    public static void reply(RoutingContext ctx, Throwable failure, java.util.function.Consumer<io.vertx.core.http.HttpServerResponse> decorate) {
        var response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        ErrorMapper.Reply reply = ErrorMapper.reply(failure);
        boolean unread = !ctx.request().isEnded() && ctx.request().version() != HttpVersion.HTTP_2;
        response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (decorate != null) {
            decorate.accept(response);
        }
        if (reply.retryAfterSeconds() != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(reply.retryAfterSeconds()));
        }
        if (unread) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(reply.body()).onComplete(done -> {
            if (unread) {
                lingerThenClose(ctx);
            }
        });
    }

    /**
     * The body was not (all) read. Closing at once can reset the connection before the client has read
     * the answer, so read and drop what follows for a little while (bounded in bytes and time), then close.
     */
    private static void lingerThenClose(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            // the whole body has arrived already: nothing to drop, and the connection can go on
            return;
        }
        var vertx = ctx.vertx();
        long[] dropped = {0};
        long timer = vertx.setTimer(LINGER_MILLIS, id -> request.connection().close());
        request.exceptionHandler(ignored -> vertx.cancelTimer(timer));
        request.endHandler(ignored -> {
            vertx.cancelTimer(timer);
            request.connection().close();
        });
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > LINGER_BYTES) {
                vertx.cancelTimer(timer);
                request.connection().close();
            }
        });
        request.resume();
    }
}
