package io.stowage.metadata.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import io.stowage.metadata.config.MetadataConfig;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Ready while PostgreSQL answers {@code SELECT 1} within a bound well under a probe's timeout: DOWN at
 * once, not after the probe gave up, when it is unreachable or hung. (Quarkus's own datasource check
 * has no bound; it is switched off.) Kafka is not part of readiness: while it is away the catalog
 * still serves and the outbox keeps the events.
 */
@Readiness
@ApplicationScoped
public class CatalogReadiness implements AsyncHealthCheck {

    private final Pool pool;
    private final Duration bound;

    public CatalogReadiness(Pool pool, MetadataConfig config) {
        this.pool = pool;
        this.bound = config.catalog().readinessTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        long started = System.nanoTime();
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(bound).fail()
                .map(rows -> HealthCheckResponse.named("catalog").up()
                        .withData("millis", (System.nanoTime() - started) / 1_000_000).build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("catalog").down()
                        .withData("reason", e instanceof io.smallrye.mutiny.TimeoutException
                                ? "no answer within " + bound.toMillis() + " ms" : String.valueOf(e.getMessage()))
                        .build());
    }
}
