package io.stowage.gateway.routing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A circuit breaker per upstream service: after a run of failed calls the gateway stops calling that
 * service for a while and answers 503 at once, instead of letting every caller wait on it.
 */
@ApplicationScoped
public class Breakers {

    @ConfigMapping(prefix = "stowage.gateway.circuit-breaker")
    public interface Config {
        /** Consecutive failures that open the circuit. */
        @WithDefault("5")
        int failureThreshold();

        /** How long an open circuit refuses calls before one is tried again. */
        @WithDefault("10S")
        Duration openFor();
    }

    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
    private final Config config;

    public Breakers(Config config) {
        this.config = config;
    }

    /** @return 0 when {@code service} may be called, else the seconds until it will be tried again */
    public long refuses(String service) {
        return states.computeIfAbsent(service, s -> new State()).refuses(System.nanoTime());
    }

    public void succeeded(String service) {
        states.computeIfAbsent(service, s -> new State()).succeeded();
    }

    public void failed(String service) {
        states.computeIfAbsent(service, s -> new State()).failed(System.nanoTime(), config.failureThreshold(),
                config.openFor().toNanos());
    }

    private static final class State {
        private int failures;
        private long openUntil;

        synchronized long refuses(long now) {
            if (openUntil == 0 || now >= openUntil) {
                return 0;
            }
            return Math.max(1, (openUntil - now + 999_999_999L) / 1_000_000_000L);
        }

        synchronized void succeeded() {
            failures = 0;
            openUntil = 0;
        }

        synchronized void failed(long now, int threshold, long openNanos) {
            failures++;
            if (failures >= threshold) {
                // half-open after the pause: the next call is tried, and one more failure re-opens
                openUntil = now + openNanos;
                failures = threshold - 1;
            }
        }
    }
}
