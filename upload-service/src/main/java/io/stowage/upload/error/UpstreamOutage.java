package io.stowage.upload.error;

import io.stowage.edge.DependencyUnavailable;

/**
 * metadata-service or signing-service answered that it is unavailable itself (502/503/504). When its
 * answer already names the outage in Stowage's error shape (e.g. {@code CatalogUnavailable} because its
 * database is down), that body and its {@code Retry-After} are passed through unchanged.
 */
public final class UpstreamOutage extends DependencyUnavailable {

    private final String body;

    public UpstreamOutage(Dependency dependency, String service, int status, String body, int retryAfterSeconds) {
        super(dependency, service + " answered " + status, retryAfterSeconds, null);
        this.body = body;
    }

    /** The upstream's own error JSON to pass through, or null to answer in this service's words. */
    public String body() {
        return body;
    }
}
