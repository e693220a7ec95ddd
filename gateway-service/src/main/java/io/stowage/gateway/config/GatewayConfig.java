package io.stowage.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where the gateway finds the services behind it. */
@ConfigMapping(prefix = "stowage.gateway")
public interface GatewayConfig {

    String metadataUrl();

    String uploadUrl();

    String signingUrl();

    String imageUrl();

    /** How long an upstream may stay silent before the call is given up (idle timeout; streams). */
    @WithDefault("30S")
    Duration upstreamTimeout();

    /**
     * How long a call to a JSON-only service (metadata-service, signing-service) may take. Longer than
     * their own deadline (5 s), so that their 503 naming what they wait on arrives first.
     */
    @WithDefault("7S")
    Duration callTimeout();

    /** TCP connect to an upstream. */
    @WithDefault("1S")
    Duration connectTimeout();

    /** Lifetime in seconds of the presigned S3 URL the gateway streams a download from. */
    @WithDefault("60")
    int downloadUrlTtl();

    /**
     * How many presigned S3 GETs of blobs the gateway keeps for the next downloads of the same blob
     * (each for the URL's lifetime less 20 s); 0 signs every download anew.
     */
    @WithDefault("10000")
    int presignedCacheSize();

    /**
     * How long the catalog's answer to a download lookup (one caller, one path) is reused: the bound on
     * how stale a read can be after a change made through another gateway replica (a change through this
     * one drops the answers of its bucket at once). 0 asks the catalog on every download.
     */
    @WithDefault("1S")
    Duration lookupCacheTtl();

    /** How many download lookups are kept (caller and path pairs). */
    @WithDefault("20000")
    int lookupCacheSize();

    /** Memory for the bytes of small, recently served blobs (blobs never change); 0 streams every read from S3. */
    @WithDefault("67108864")
    long blobCacheBytes();

    /** Largest object whose bytes are kept in memory; larger ones are always streamed. */
    @WithDefault("65536")
    long blobCacheMaxObject();

    /** {@code max-age} in seconds of public downloads, for CDNs and browsers. */
    @WithDefault("3600")
    int publicMaxAge();

    /**
     * The gateway's public base URL ({@code https://storage.example.com}) that the signed and public URLs it
     * hands out start with; unset, they are relative to the gateway's root ({@code /v1/signed/...}).
     */
    java.util.Optional<String> publicUrl();

    /** Largest JSON request body the gateway passes on (API calls; uploads go straight to S3). */
    @WithDefault("1048576")
    long maxJsonBody();
}
