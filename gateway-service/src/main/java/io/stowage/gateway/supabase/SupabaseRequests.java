package io.stowage.gateway.supabase;

import io.stowage.gateway.routing.Fields;
import io.stowage.contract.SharedErrorCode;
import io.quarkus.security.identity.SecurityIdentity;
import io.stowage.gateway.auth.Callers;
import io.stowage.gateway.config.GatewayConfig;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.routing.ApiBodies;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.stowage.names.InvalidNameException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What every Supabase route does alike: who may call it (a signed-in caller, with a JSON body), how a
 * service's answer becomes Supabase's (a refusal relayed in Supabase's error shape, an outage 503),
 * and the checked path a route reads its names from.
 */
@ApplicationScoped
public class SupabaseRequests {

    private static final Logger LOG = Logger.getLogger(SupabaseRequests.class);
    /** The routing-context key of the signed-in caller, for routes that need more than the token. */
    private static final String IDENTITY = "stowage.identity";

    private final Callers callers;
    private final Proxy proxy;
    private final GatewayConfig config;

    public SupabaseRequests(Callers callers, Proxy proxy, GatewayConfig config) {
        this.callers = callers;
        this.proxy = proxy;
        this.config = config;
    }

    /** A route's work, given the request's checked path. */
    interface Route {
        void handle(RoutingContext ctx, SupabasePath path);
    }

    /** The handler of a route: a name in the path that breaks the naming rules is a 400 before the body is read. */
    static Handler<RoutingContext> handler(Route route) {
        return ctx -> {
            try {
                route.handle(ctx, SupabasePath.of(ctx));
            } catch (InvalidNameException e) {
                ErrorResponse.sendBeforeBody(ctx, 400, e.code(), e.getMessage());
            }
        };
    }

    Callers callers() {
        return callers;
    }

    /** Runs {@code then} with the caller's {@code Authorization} for a signed-in caller (401 otherwise). */
    void user(RoutingContext ctx, Consumer<String> then) {
        callers.requireUser(ctx, (c, identity) -> {
            c.request().resume();
            then.accept(c.request().getHeader("Authorization"));
        });
    }

    interface WithBody {
        void accept(String authorization, JsonObject body);
    }

    /**
     * As {@link #user}, with the request's JSON object body (bounded, read whole); a body that is not
     * one, or a field of the wrong type or a bad name in it, is 400.
     */
    void userWithBody(RoutingContext ctx, WithBody then) {
        if (!ApiBodies.withinLimit(ctx, config.maxJsonBody())) {
            return;
        }
        callers.requireUser(ctx, (c, identity) -> {
            c.put(IDENTITY, identity);
            Future<Buffer> body = c.request().body();
            c.request().resume();
            body.onFailure(e -> ErrorResponse.send(c, SharedErrorCode.InvalidRequest, "the request body could not be read"))
                    .onSuccess(buffer -> {
                        JsonObject json;
                        try {
                            json = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
                        } catch (DecodeException | ClassCastException e) {
                            ErrorResponse.send(c, SharedErrorCode.InvalidRequest, "the body is not a JSON object");
                            return;
                        }
                        try {
                            then.accept(c.request().getHeader("Authorization"), json);
                        } catch (Fields.WrongType | InvalidNameException e) {
                            ErrorResponse.send(c, 400, e instanceof InvalidNameException n ? n.code() : "InvalidRequest", e.getMessage());
                        }
                    });
        });
    }

    /** The signed-in caller of a {@link #userWithBody} route. */
    static SecurityIdentity identity(RoutingContext ctx) {
        return ctx.get(IDENTITY);
    }

    /** Runs {@code then} on a successful reply; relays a refusal in Supabase's shape; 503 when unreachable. */
    void answer(RoutingContext ctx, AsyncResult<Reply> result, Consumer<Reply> then) {
        if (result.failed()) {
            proxy.failed(ctx, "upstream", result.cause());
        } else if (!result.result().ok()) {
            ErrorResponse.relay(ctx, result.result().status(), result.result().body());
        } else {
            try {
                then.accept(result.result());
            } catch (RuntimeException e) {
                // an answer of an unexpected shape: still answered, never left open
                LOG.errorf(e, "[%s] could not read %s's answer", rid(ctx), "upstream");
                ErrorResponse.send(ctx, SharedErrorCode.UpstreamUnavailable, "an upstream service gave an answer of an unexpected shape");
            }
        }
    }

    /** A call that got no answer from {@code service}: 503 naming it. */
    void failed(RoutingContext ctx, String service, Throwable cause) {
        proxy.failed(ctx, service, cause);
    }

    static void json(RoutingContext ctx, int status, Object body) {
        String encoded = body instanceof JsonArray array ? array.encode() : ((JsonObject) body).encode();
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(encoded);
    }

    static void message(RoutingContext ctx, String message) {
        json(ctx, 200, new JsonObject().put("message", message));
    }

    static void notFound(RoutingContext ctx) {
        ErrorResponse.send(ctx, SharedErrorCode.NotFound, "Route " + ctx.request().method() + ":" + ctx.request().path() + " not found");
    }

    /** A 400 before the body was read. */
    static void refuseBody(RoutingContext ctx, String reason) {
        ErrorResponse.sendBeforeBody(ctx, SharedErrorCode.InvalidRequest, reason);
    }

    static String rid(RoutingContext ctx) {
        return Proxy.requestId(ctx);
    }
}
