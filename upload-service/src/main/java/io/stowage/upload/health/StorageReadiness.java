package io.stowage.upload.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.config.BlobBucketConfig;
import io.stowage.upload.error.Outages;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Ready only while the physical bucket answers: every upload path reads or writes S3 (the pending records
 * live there). Bounded by {@code stowage.s3.readiness-timeout} (500 ms), so a hung S3 is DOWN quickly
 * instead of holding the probe. Readiness only: a process whose S3 is down is not broken, so liveness
 * does not ask. metadata-service and signing-service are not asked here: their outage is answered per
 * request (503 CatalogUnavailable, SigningUnavailable), and taking every replica out of rotation for
 * another service's outage would turn those answers into connection errors at the gateway.
 */
@Readiness
@ApplicationScoped
public class StorageReadiness implements AsyncHealthCheck {

    static final String NAME = "object store";

    private final Blobs blobs;
    private final Duration timeout;
    private final String bucket;

    public StorageReadiness(Blobs blobs, BlobBucketConfig config) {
        this.blobs = blobs;
        this.timeout = config.readinessTimeout();
        this.bucket = config.bucket();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return blobs.reachable(timeout)
                // the SDK's own deadline should end it first; this one holds whatever happens inside the SDK
                .ifNoItem().after(timeout.plusMillis(100)).fail()
                .map(ok -> HealthCheckResponse.named(NAME).up().withData("bucket", bucket).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("bucket", bucket)
                        .withData("reason", Outages.isStorageOutage(failure) || failure instanceof io.smallrye.mutiny.TimeoutException
                                ? "unreachable" : "refused: " + failure.getClass().getSimpleName())
                        .build());
    }
}
