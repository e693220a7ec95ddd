package io.stowage.gateway.upstream;

import io.stowage.gateway.config.GatewayConfig;
import io.opentelemetry.api.trace.Span;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
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
import java.util.concurrent.TimeoutException;
import io.stowage.edge.DependencyUnavailable;
import org.jboss.logging.Logger;

/**
 * Streams a request to an upstream service and its response back, without holding either body:
 * Vert.x pipes the bytes with back-pressure. Calls go through the upstream's circuit breaker; a call
 * that could not even connect is retried once when its method is idempotent.
 */
@ApplicationScoped
public class Proxy {

    public static final String REQUEST_ID = io.stowage.contract.RequestIds.HEADER;
    public static final String REQUEST_ID_ATTRIBUTE = io.stowage.contract.RequestIds.SPAN_ATTRIBUTE;

    private static final Logger LOG = Logger.getLogger(Proxy.class);

    /** Hop-by-hop headers (RFC 9110 §7.6.1) and Host never travel to the next hop. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    /** Services that only ever answer small JSON: a call to them is bounded by the call timeout. */
    private static final Set<String> JSON_SERVICES = Set.of("metadata-service", "signing-service");
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final HttpClient client;
    private final long idleTimeoutMs;
    private final long callTimeoutMs;
    private final Breakers breakers;
    private final Vertx vertx;
    private final GatewayMetrics metrics;

    public Proxy(Vertx vertx, GatewayConfig config, Breakers breakers, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setConnectTimeout((int) config.connectTimeout().toMillis()));
        this.idleTimeoutMs = config.upstreamTimeout().toMillis();
        this.callTimeoutMs = config.callTimeout().toMillis();
        this.breakers = breakers;
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
            id = io.stowage.contract.RequestIds.acceptable(given) ? given : UUID.randomUUID().toString();
            ctx.put(REQUEST_ID, id);
            ctx.response().putHeader(REQUEST_ID, id);
            // the server span carries the id, so a trace can be found from it (a no-op while tracing is off)
            Span.current().setAttribute(REQUEST_ID_ATTRIBUTE, id);
        }
        return id;
    }

    /**
     * Opens a request to {@code service}, through its circuit breaker, retrying once after a failed
     * connection when the method is idempotent (nothing was sent yet, so nothing can be repeated).
     */
    public Future<HttpClientRequest> open(String service, RequestOptions options) {
        long refusedFor = breakers.refuses(service);
        if (refusedFor > 0) {
            return Future.failedFuture(new CircuitOpenException(service, refusedFor));
        }
        if (options.getIdleTimeout() <= 0) {
            // JSON-only services answer whole or not at all: their own deadline; streams: the idle timeout
            options.setIdleTimeout(JSON_SERVICES.contains(service) ? callTimeoutMs : idleTimeoutMs);
        }
        return client.request(options).recover(first -> {
            if (!IDEMPOTENT.contains(options.getMethod())) {
                return Future.failedFuture(first);
            }
            return Future.<Void>future(p -> vertx.setTimer(100, id -> p.complete())).compose(v -> client.request(options));
        });
    }

    /**
     * Records the outcome of a call for the upstream's circuit breaker. Only what the upstream itself
     * caused counts as a failure: no connection, a timeout, a 500, 502 or 504. Answers to the caller's
     * input (4xx), 501, and a 503 (the upstream saying that it is overloaded or that its own
     * dependency is down, which it reports honestly) never open the circuit.
     */
    public <T> Future<T> watch(String service, Future<T> call) {
        return call.onSuccess(r -> {
            if (r instanceof HttpClientResponse response && upstreamFault(response.statusCode())) {
                breakers.failed(service);
            } else {
                breakers.succeeded(service);
            }
        }).onFailure(e -> {
            // a reset is the gateway's own doing when the client went away mid-body (cutWithClient): the
            // caller's act, never the upstream's failure, so it must not count towards opening its circuit
            if (!(e instanceof CircuitOpenException) && !(e instanceof io.vertx.core.http.StreamResetException)) {
                breakers.unanswered(service);
            }
        });
    }

    static boolean upstreamFault(int status) {
        return status >= 500 && status != 501 && status != 503;
    }

    /** Forwards the request as it came (method, headers, body) to {@code baseUrl + pathAndQuery}. */
    public void forward(RoutingContext ctx, String service, String baseUrl, String pathAndQuery) {
        forward(ctx, service, baseUrl, pathAndQuery, false);
    }

    /**
     * As {@link #forward(RoutingContext, String, String, String)}; with {@code errorsInOurShape} an
     * error the upstream answers is re-rendered in this request's error shape (its small JSON body
     * read whole) instead of streamed as it came.
     */
    public void forward(RoutingContext ctx, String service, String baseUrl, String pathAndQuery, boolean errorsInOurShape) {
        HttpServerRequest in = ctx.request();
        in.pause();
        String requestId = requestId(ctx);
        RequestOptions options = new RequestOptions().setMethod(in.method()).setAbsoluteURI(baseUrl + pathAndQuery);
        watch(service, open(service, options).compose(out -> {
            copyHeaders(in.headers(), out.headers());
            out.putHeader(REQUEST_ID, requestId);
            out.putHeader("X-Forwarded-For", in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress());
            boolean hasBody = in.getHeader("Content-Length") != null && !"0".equals(in.getHeader("Content-Length"))
                    || in.getHeader("Transfer-Encoding") != null;
            Future<HttpClientResponse> sent = hasBody ? out.send(in) : out.send();
            if (!hasBody) {
                in.resume();
            } else {
                cutWithClient(in, out);
            }
            return sent;
        })).onSuccess(response -> {
            if (errorsInOurShape && response.statusCode() >= 400) {
                response.body().onComplete(body -> ErrorResponse.relay(ctx, response.statusCode(),
                        body.succeeded() ? body.result() : io.vertx.core.buffer.Buffer.buffer()));
            } else {
                relay(ctx, response);
            }
        }).onFailure(failure -> failed(ctx, service, failure));
    }

    /**
     * A client that goes away while its body streams upstream must not leave the upstream waiting for the
     * rest until its idle timeout: the upstream request is reset at once, so the service sees the body end
     * where the client's did (a resumable upload then records what arrived, and is free for the next PATCH).
     */
    public static void cutWithClient(HttpServerRequest in, HttpClientRequest out) {
        in.response().closeHandler(v -> out.reset());
        // the reset fails the request; its failure is handled where the answer is awaited, not logged as unhandled
        out.exceptionHandler(ignored -> { });
    }

    /** Sends an upstream's response to the caller as it is: status, headers, streamed body. */
    public static void relay(RoutingContext ctx, HttpClientResponse response) {
        var out = ctx.response();
        if (out.closed() || out.ended()) {
            // the client went away while the upstream answered: nothing to relay, the upstream's body is dropped
            response.request().reset();
            return;
        }
        out.setStatusCode(response.statusCode());
        copyHeaders(response.headers(), out.headers());
        String requestId = ctx.get(REQUEST_ID);
        if (requestId != null) {
            // the upstream echoes the id the gateway gave it: one header, not two
            out.headers().set(REQUEST_ID, requestId);
        }
        if (ctx.request().method() == HttpMethod.HEAD) {
            out.end();
            return;
        }
        out.send(response);
    }

    /**
     * Answers a call that got no answer: 503 with {@code Retry-After} and the code naming what is
     * unavailable ({@code CatalogUnavailable} for metadata-service, {@code SigningUnavailable},
     * {@code StorageUnavailable} for the object store, ...), whether it refused the connection, timed
     * out or has its circuit open.
     */
    public void failed(RoutingContext ctx, String service, Throwable failure) {
        LOG.warnf("[%s] %s failed: %s", requestId(ctx), service, failure.toString());
        long retryAfter = DependencyUnavailable.DEFAULT_RETRY_AFTER_SECONDS;
        String why;
        if (failure instanceof CircuitOpenException open) {
            metrics.upstreamFailed(service, "circuit-open");
            retryAfter = open.retryAfterSeconds;
            why = "circuit open";
        } else if (failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) {
            metrics.upstreamFailed(service, "timeout");
            why = "no answer in time";
        } else {
            metrics.upstreamFailed(service, "unavailable");
            why = "unreachable";
        }
        ErrorResponse.unavailable(ctx, service, why, retryAfter);
    }

    static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach(entry -> {
            if (!HOP_BY_HOP.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                to.add(entry.getKey(), entry.getValue());
            }
        });
    }

    /** The upstream's circuit is open: it is not called until the pause is over. */
    public static final class CircuitOpenException extends RuntimeException {
        private final long retryAfterSeconds;

        CircuitOpenException(String service, long retryAfterSeconds) {
            super(service + " circuit open", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
