package io.stowage.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Stowage's own gateway metrics, next to the HTTP server and client metrics Quarkus records. */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Counter authFailures;
    private final Counter rateLimited;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.authFailures = Counter.builder("stowage.gateway.auth.failures")
                .description("requests refused for a missing, invalid or expired token").register(registry);
        this.rateLimited = Counter.builder("stowage.gateway.rate.limited")
                .description("requests refused with 429 by a rate limit").register(registry);
    }

    public void authFailed() {
        authFailures.increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    /** Bytes of object content served, by route kind (private, public, by-id). */
    public void bytesServed(String route, long bytes) {
        if (bytes > 0) {
            registry.counter("stowage.gateway.bytes.served", "route", route).increment(bytes);
        }
    }

    /** An upstream call that failed, or that a circuit breaker refused. */
    public void upstreamFailed(String service, String reason) {
        registry.counter("stowage.gateway.upstream.failures", "service", service, "reason", reason).increment();
    }
}
