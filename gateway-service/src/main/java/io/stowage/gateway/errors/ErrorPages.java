package io.stowage.gateway.errors;

import io.stowage.contract.SharedErrorCode;
import io.stowage.names.InvalidNameException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The answers no route gives: a path no route knows, a request the router refuses (no Host), and a
 * handler that failed. Each is answered, in the error shape, instead of the HTTP layer's bare page or
 * a request left open.
 */
@ApplicationScoped
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    void register(@Observes Router router) {
        router.route().failureHandler(this::failed);
        for (int status : List.of(400, 404, 405, 406, 413, 414, 415, 431, 500, 501)) {
            router.errorHandler(status, ctx -> answer(ctx, status, ctx.failure()));
        }
        // any path outside the routes (the /v1 and Supabase APIs answer their own unknown routes)
        router.route().last().handler(ctx -> {
            if (ctx.request().path().startsWith("/v1/")) {
                // the native API's own last route answers it, counting it against the caller's limit
                ctx.next();
                return;
            }
            ErrorResponse.send(ctx, SharedErrorCode.NotFound, "no route " + ctx.request().method() + " " + ctx.request().path());
        });
    }

    private void failed(RoutingContext ctx) {
        answer(ctx, ctx.statusCode(), ctx.failure());
    }

    private static void answer(RoutingContext ctx, int status, Throwable failure) {
        if (ctx.response().ended()) {
            return;
        }
        if (failure instanceof InvalidNameException invalid) {
            ErrorResponse.send(ctx, 400, invalid.code(), invalid.getMessage());
        } else if (failure instanceof DecodeException || failure instanceof ClassCastException) {
            ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "the request body has the wrong shape");
        } else if (status >= 400 && status < 500) {
            ErrorResponse.send(ctx, status, status == 404 ? "NotFound" : "InvalidRequest", reason(status));
        } else {
            LOG.errorf(failure, "[%s] request failed", ctx.<String>get("X-Request-Id"));
            ErrorResponse.send(ctx, SharedErrorCode.InternalError, "the gateway could not handle the request");
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "the request is malformed";
            case 404 -> "no such route";
            case 405 -> "the method is not allowed on this route";
            case 406 -> "no acceptable representation";
            case 413 -> "the request body is too large";
            case 414 -> "the request target is too long";
            case 415 -> "unsupported media type";
            case 431 -> "the request headers are too large";
            default -> "the request was refused (" + status + ")";
        };
    }
}
