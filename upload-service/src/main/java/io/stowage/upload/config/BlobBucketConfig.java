package io.stowage.upload.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The one physical S3 bucket that holds every blob and the pending uploads. */
@ConfigMapping(prefix = "stowage.s3")
public interface BlobBucketConfig {

    @WithDefault("stowage")
    String bucket();
}
