package io.stowage.gateway.routing;

import io.stowage.gateway.errors.ErrorResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Streams a request to an upstream service and its response back, without holding either body:
 * Vert.x pipes the bytes with back-pressure.
 */
@ApplicationScoped
public class Proxy {

    public static final String REQUEST_ID = "X-Request-Id";

    private static final Logger LOG = Logger.getLogger(Proxy.class);

    /** Hop-by-hop headers (RFC 9110 §7.6.1) and Host never travel to the next hop. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");

    private final HttpClient client;
    private final long idleTimeoutMs;

    public Proxy(Vertx vertx, GatewayConfig config) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setConnectTimeout(5_000));
        this.idleTimeoutMs = config.upstreamTimeout().toMillis();
    }

    public HttpClient client() {
        return client;
    }

    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    /** The request id of this request, made up when the caller sent none. */
    public static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID);
        if (id == null) {
            String given = ctx.request().getHeader(REQUEST_ID);
            id = given != null && given.length() <= 128 && given.matches("[A-Za-z0-9._:-]+") ? given : UUID.randomUUID().toString();
            ctx.put(REQUEST_ID, id);
            ctx.response().putHeader(REQUEST_ID, id);
        }
        return id;
    }

    /** Forwards the request as it came (method, headers, body) to {@code baseUrl + pathAndQuery}. */
    public void forward(RoutingContext ctx, String service, String baseUrl, String pathAndQuery) {
        HttpServerRequest in = ctx.request();
        in.pause();
        String requestId = requestId(ctx);
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setAbsoluteURI(baseUrl + pathAndQuery)
                .setIdleTimeout(idleTimeoutMs);
        client.request(options).onSuccess(out -> {
            copyHeaders(in.headers(), out.headers());
            out.putHeader(REQUEST_ID, requestId);
            out.putHeader("X-Forwarded-For", in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress());
            boolean hasBody = in.getHeader("Content-Length") != null && !"0".equals(in.getHeader("Content-Length"))
                    || in.getHeader("Transfer-Encoding") != null;
            var sent = hasBody ? out.send(in) : out.send();
            if (!hasBody) {
                in.resume();
            }
            sent.onSuccess(response -> relay(ctx, response))
                    .onFailure(failure -> failed(ctx, service, failure));
        }).onFailure(failure -> failed(ctx, service, failure));
    }

    /** Sends an upstream's response to the caller as it is: status, headers, streamed body. */
    public static void relay(RoutingContext ctx, HttpClientResponse response) {
        var out = ctx.response();
        out.setStatusCode(response.statusCode());
        copyHeaders(response.headers(), out.headers());
        if (ctx.request().method() == HttpMethod.HEAD) {
            out.end();
            return;
        }
        out.send(response);
    }

    private static void failed(RoutingContext ctx, String service, Throwable failure) {
        LOG.warnf("[%s] %s failed: %s", requestId(ctx), service, failure.toString());
        ErrorResponse.upstreamUnavailable(ctx, service);
    }

    static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach(entry -> {
            if (!HOP_BY_HOP.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                to.add(entry.getKey(), entry.getValue());
            }
        });
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
