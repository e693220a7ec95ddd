package io.stowage.upload.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The one physical S3 bucket that holds every blob and the pending uploads, and the deadlines of the
 * calls that carry a body. Every other S3 call has the client's own deadline
 * ({@code quarkus.s3.api-call-timeout} and {@code quarkus.s3.api-call-attempt-timeout}).
 */
@ConfigMapping(prefix = "stowage.s3")
public interface BlobBucketConfig {

    @WithDefault("stowage")
    String bucket();

    /**
     * Deadline of one S3 call that carries a direct upload's part (PutObject, UploadPart of up to
     * {@code stowage.upload.direct-part-size} bytes) or assembles the parts (CompleteMultipartUpload): these
     * are longer than a small call, so they get their own limit instead of the client's short one.
     */
    @WithDefault("PT60S")
    Duration transferTimeout();

    /** How long the readiness check waits for S3 before it says DOWN. */
    @WithDefault("PT0.5S")
    Duration readinessTimeout();
}
