package io.stowage.image.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** image-service's settings (see README.md for the environment variables). */
@ConfigMapping(prefix = "stowage.image")
public interface ImageConfig {

    /** metadata-service's base URL (where objects are looked up); the REST client {@code metadata} calls it. */
    String metadataUrl();

    /** signing-service's base URL (where signatures and tokens are verified); the REST client {@code signing} calls it. */
    String signingUrl();

    /** The shared library to bind, e.g. {@code libvips.so.42}. */
    String vipsLibrary();

    /** Rendering threads; empty means one per core. */
    Optional<Integer> workers();

    /** Renders that may wait for a thread; beyond that requests get 503 with Retry-After. */
    @WithDefault("32")
    int queue();

    /** Largest source in pixels (width × height of the first frame), read from the header before decoding. */
    @WithDefault("50000000")
    long maxSourcePixels();

    /** Largest source blob in bytes. */
    @WithDefault("52428800")
    long maxSourceBytes();

    /** Largest width or height a URL may ask for, and the cap of any output side. */
    @WithDefault("4096")
    int maxDimension();

    /** Quality used when the URL names none. */
    @WithDefault("80")
    int defaultQuality();

    /** AVIF encoder effort 0 (fast) .. 9 (small); libvips' default 4 is slow for on-the-fly work. */
    @WithDefault("2")
    int avifEffort();

    /** Whether {@code /img/unsafe/...} URLs are served at all (for public objects only). */
    @WithDefault("true")
    boolean unsafeEnabled();

    /** Key prefix of the rendered variants in the physical bucket. */
    @WithDefault("variants/")
    String variantPrefix();

    /**
     * Bytes of rendered variants kept in memory as well as in S3, the most used first (0: none). A
     * variant's name is a hash of its blob and options, so a kept one is never stale; who may see it
     * is still asked of metadata-service (or its answer of the last {@link #lookupCacheTtl()}).
     */
    @WithDefault("67108864")
    long memoryCacheBytes();

    /**
     * How long a successful object lookup of metadata-service (per caller, bucket and name) is reused;
     * 0 asks metadata-service on every request. The staleness bound of a delete, an overwrite or a
     * visibility change on the image routes.
     */
    @WithDefault("1S")
    Duration lookupCacheTtl();

    /** Most lookup answers kept at once (the least used go first). */
    @WithDefault("10000")
    long lookupCacheEntries();
}
