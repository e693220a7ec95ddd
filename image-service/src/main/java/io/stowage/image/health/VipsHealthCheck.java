package io.stowage.image.health;

import io.stowage.image.vips.VipsEngine;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once libvips is loaded; reports its version. */
@Readiness
@ApplicationScoped
public class VipsHealthCheck implements HealthCheck {

    private final VipsEngine engine;

    public VipsHealthCheck(VipsEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("libvips").up().withData("version", engine.vips().version()).build();
    }
}
