package io.stowage.gateway.upstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A circuit breaker per upstream service: after a run of failed calls the gateway stops calling that
 * service for a while and answers 503 at once, instead of letting every caller wait on it. A service
 * that gives no answer at all (refused connection, timeout) opens it sooner than one that answers
 * 5xx. Once the pause is over one call is let through as a probe (half-open); the others are still
 * refused until it has answered, and its answer closes or re-opens the circuit.
 */
@ApplicationScoped
public class Breakers {

    @ConfigMapping(prefix = "stowage.gateway.circuit-breaker")
    public interface Config {
        /** Consecutive failed answers (500, 502, 504) that open the circuit. */
        @WithDefault("5")
        int failureThreshold();

        /** Consecutive calls without an answer (connection refused or reset, timed out) that open the circuit. */
        @WithDefault("2")
        int noAnswerThreshold();

        /** How long an open circuit refuses calls before one is tried again. */
        @WithDefault("2S")
        Duration openFor();
    }

    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
    private final Config config;

    public Breakers(Config config) {
        this.config = config;
    }

    /** @return 0 when {@code service} may be called, else the seconds until it will be tried again */
    public long refuses(String service) {
        return state(service).refuses(System.nanoTime());
    }

    public void succeeded(String service) {
        state(service).succeeded();
    }

    /** The service answered, with a failure of its own (500, 502, 504). */
    public void failed(String service) {
        state(service).failed(System.nanoTime(), config.failureThreshold(), config.openFor().toNanos());
    }

    /** The service gave no answer: the connection was refused or reset, or the call timed out. */
    public void unanswered(String service) {
        state(service).failed(System.nanoTime(), config.noAnswerThreshold(), config.openFor().toNanos());
    }

    private State state(String service) {
        return states.computeIfAbsent(service, s -> new State());
    }

    private static final class State {
        private int failures;
        private long openUntil;
        private boolean probing;

        synchronized long refuses(long now) {
            if (openUntil == 0) {
                return 0;
            }
            if (now < openUntil) {
                return Math.max(1, (openUntil - now + 999_999_999L) / 1_000_000_000L);
            }
            if (probing) {
                // half-open: one call is finding out; the rest wait for its answer
                return 1;
            }
            probing = true;
            return 0;
        }

        synchronized void succeeded() {
            failures = 0;
            openUntil = 0;
            probing = false;
        }

        synchronized void failed(long now, int threshold, long openNanos) {
            failures++;
            if (probing || failures >= threshold) {
                // the probe failed, or a run of failures: open (again) for the pause
                openUntil = now + openNanos;
                failures = threshold - 1;
                probing = false;
            }
        }
    }
}
