package io.stowage.signing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;

/**
 * Where the physical bucket lives and the credentials that sign for it. The presigner only needs
 * these to compute signatures; signing-service never sends a request to S3 itself.
 */
@ConfigMapping(prefix = "stowage.s3")
public interface S3SigningConfig {

    /** Base URL of the S3-compatible server, as clients will reach it. */
    URI endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("us-east-1")
    String region();

    /** The one physical bucket every blob key lives in. */
    @WithDefault("stowage")
    String bucket();

    /** Path-style URLs ({endpoint}/{bucket}/{key}); S3Proxy and most self-hosted stores need them. */
    @WithDefault("true")
    boolean pathStyle();
}
