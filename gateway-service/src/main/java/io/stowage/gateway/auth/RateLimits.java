package io.stowage.gateway.auth;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per client IP and per signed-in caller, kept in this gateway replica's memory. A key
 * that has been idle for a while is forgotten, so the map stays bounded by the active callers.
 */
@ApplicationScoped
public class RateLimits {

    /** Rate limit settings; a rate of 0 switches that limit off. */
    @ConfigMapping(prefix = "stowage.gateway.rate-limit")
    public interface Config {
        @WithDefault("200")
        double ipPerSecond();

        @WithDefault("400")
        int ipBurst();

        @WithDefault("100")
        double callerPerSecond();

        @WithDefault("200")
        int callerBurst();
    }

    private static final long IDLE_NANOS = 10L * 60 * 1_000_000_000L;

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Config config;

    public RateLimits(Config config) {
        this.config = config;
    }

    void evictIdle(@Observes StartupEvent started, Vertx vertx) {
        vertx.setPeriodic(60_000, id -> {
            long now = System.nanoTime();
            buckets.entrySet().removeIf(e -> now - e.getValue().lastSeen() > IDLE_NANOS);
        });
    }

    /** @return 0 when the request may go, else the seconds to wait before the next one would */
    public long ip(String address) {
        return take("ip:" + address, config.ipPerSecond(), config.ipBurst());
    }

    /** @return 0 when the request may go, else the seconds to wait before the next one would */
    public long caller(String subject) {
        return take("sub:" + subject, config.callerPerSecond(), config.callerBurst());
    }

    private long take(String key, double perSecond, int burst) {
        if (perSecond <= 0) {
            return 0;
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst)).take(System.nanoTime());
    }

    /** Refills continuously at {@code perSecond} up to {@code burst}; one token per request. */
    static final class TokenBucket {
        private final double perNano;
        private final int burst;
        private double tokens;
        private long last;

        TokenBucket(double perSecond, int burst) {
            this.perNano = perSecond / 1e9;
            this.burst = Math.max(1, burst);
            this.tokens = this.burst;
            this.last = System.nanoTime();
        }

        synchronized long take(long now) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }

        synchronized long lastSeen() {
            return last;
        }
    }
}
