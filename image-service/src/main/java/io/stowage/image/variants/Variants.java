package io.stowage.image.variants;

import io.stowage.contract.SharedErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.stowage.image.client.StoredObject;
import io.stowage.image.config.ImageConfig;
import io.stowage.image.error.ImageException;
import io.stowage.image.render.Renderer;
import io.stowage.image.render.SourceType;
import io.stowage.image.url.ImageOptions;
import io.stowage.image.url.OutputFormat;
import io.stowage.image.variants.VariantStore.Variant;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Rendered variants: named by the blob key and the normalised options, looked up in S3 first,
 * rendered once when missing (single flight), then stored for every later request.
 */
@ApplicationScoped
public class Variants {

    private static final Logger LOG = Logger.getLogger(Variants.class);

    private final VariantStore store;
    private final Renderer renderer;
    private final ImageConfig config;
    private final MeterRegistry registry;
    private final SingleFlight<Variant> renders = new SingleFlight<>();
    /** stowage_image_variant_cache_total{result=hit|miss}: how often the cache spared a render. */
    private final Counter hits;
    private final Counter misses;

    public Variants(VariantStore store, Renderer renderer, ImageConfig config, MeterRegistry registry) {
        this.store = store;
        this.renderer = renderer;
        this.config = config;
        this.registry = registry;
        this.hits = registry.counter("stowage.image.variant.cache", "result", "hit");
        this.misses = registry.counter("stowage.image.variant.cache", "result", "miss");
    }

    /**
     * Resolves what is left open in the options: the output format (explicit, the source's, or the
     * best the client's {@code Accept} allows) and the quality.
     *
     * @param negotiate whether {@code Accept} may choose the format (no explicit format, not "origin")
     */
    public Resolved resolve(StoredObject object, ImageOptions options, boolean negotiate, String accept) {
        SourceType source = SourceType.ofContentType(object.contentType());
        if (source == null) {
            throw new ImageException(SharedErrorCode.InvalidMimeType, "the object is not an image (" + object.contentType() + ")");
        }
        if (object.size() > config.maxSourceBytes()) {
            throw new ImageException(SharedErrorCode.PayloadTooLarge, "the image is larger than " + config.maxSourceBytes() + " bytes");
        }
        OutputFormat format = options.format();
        boolean varies = false;
        if (format == null) {
            format = source.origin();
            if (negotiate) {
                varies = true;
                String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
                if (a.contains("image/webp")) {
                    format = OutputFormat.WEBP;
                } else if (a.contains("image/avif")) {
                    format = OutputFormat.AVIF;
                }
            }
        }
        ImageOptions resolved = options.withFormat(format)
                .withQuality(options.quality() == 0 ? config.defaultQuality() : options.quality());
        String hash = sha256(object.blobKey() + "\n" + resolved.canonical()).substring(0, 40);
        return new Resolved(object, resolved, store.prefixOf(object.bucket(), object.blobKey()) + hash, "\"" + hash + "\"", varies);
    }

    /** The variant's bytes: from S3 if rendered before, else rendered now (once for concurrent callers). */
    public Uni<Served> get(Resolved r) {
        return store.find(r.key()).chain(found -> {
            if (found.isPresent()) {
                hits.increment();
                return Uni.createFrom().item(new Served(found.get(), true));
            }
            misses.increment();
            // look again inside the flight: a render that finished between our miss and now has stored it
            return renders.run(r.key(), () -> store.find(r.key())
                            .chain(again -> again.isPresent() ? Uni.createFrom().item(again.get()) : renderAndStore(r)))
                    .map(v -> new Served(v, false));
        });
    }

    private Uni<Variant> renderAndStore(Resolved r) {
        return store.original(r.object().blobKey(), config.maxSourceBytes())
                .chain(source -> timed(r.options().format(), renderer.render(source, r.options())))
                .map(rendered -> new Variant(rendered.bytes(), r.options().format().contentType()))
                .call(variant -> store.store(r.key(), variant)
                        .onFailure().invoke(e -> LOG.warnf("variant %s rendered but not stored: %s", r.key(), e.getMessage()))
                        .onFailure().recoverWithNull());
    }

    /**
     * stowage_image_transforms_seconds{format,outcome}: the render alone (queue wait on the bounded
     * pool included, S3 reads excluded), so that slow encoders show apart from slow storage.
     */
    private <T> Uni<T> timed(OutputFormat format, Uni<T> render) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start(registry);
            return render.onItemOrFailure().invoke((item, failure) -> sample.stop(Timer.builder("stowage.image.transforms")
                    .description("image renders by output format")
                    .tag("format", format.name().toLowerCase(Locale.ROOT))
                    .tag("outcome", failure == null ? "rendered" : "failed")
                    .register(registry)));
        });
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param key    the variant's key in the physical bucket
     * @param etag   the strong ETag: the variant's name, so a 304 needs no S3 read
     * @param varies whether the format followed {@code Accept} ({@code Vary: Accept})
     */
    public record Resolved(StoredObject object, ImageOptions options, String key, String etag, boolean varies) {
    }

    /** The bytes to send and whether they came from the cache. */
    public record Served(Variant variant, boolean cached) {
    }
}
