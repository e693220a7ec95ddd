package io.stowage.metadata.usage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.catalog.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The usage as metrics: {@code stowage_usage_bytes} and {@code stowage_usage_objects}, what every
 * bucket stores together (current objects and kept versions), read from the usage rows every
 * {@code stowage.quota.gauge-interval} rather than on each scrape; quota refusals are counted where
 * they happen ({@code stowage_quota_refusals_total{scope, limit}}, see {@link Usage}). No series per
 * bucket or owner: their number is unbounded; {@code GET /v1/buckets/{name}/usage} answers for one.
 */
@ApplicationScoped
public class UsageGauges {

    private static final Logger LOG = Logger.getLogger(UsageGauges.class);

    private final Usage usage;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong objects = new AtomicLong();

    public UsageGauges(Usage usage, MeterRegistry registry) {
        this.usage = usage;
        Gauge.builder("stowage.usage.bytes", bytes, AtomicLong::get).baseUnit("bytes")
                .description("bytes stored in every bucket together (current objects and kept versions)").register(registry);
        Gauge.builder("stowage.usage.objects", objects, AtomicLong::get)
                .description("objects and kept versions stored in every bucket together").register(registry);
    }

    @Scheduled(every = "${stowage.quota.gauge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return usage.total()
                .invoke(total -> {
                    bytes.set(total.bytes());
                    objects.set(total.objects());
                })
                // the gauges keep their last value while the catalog does not answer
                .onFailure().invoke(e -> LOG.debugf("usage gauges not refreshed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
