package io.stowage.image.render;

import io.stowage.contract.SharedErrorCode;
import io.stowage.image.error.ImageErrorCode;
import io.smallrye.mutiny.Uni;
import io.stowage.image.config.ImageConfig;
import io.stowage.image.error.ImageException;
import io.stowage.image.url.ImageOptions;
import io.stowage.image.vips.Vips;
import io.stowage.image.vips.VipsEngine;
import io.stowage.image.vips.VipsException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs libvips on a bounded pool of its own: about one thread per core, a short queue, and a 503
 * when that queue is full, so a burst of renders is refused instead of piling up in memory. The
 * safety checks run first on the same thread: the real type from the first bytes, then the
 * dimensions from the header, before any pixel is decoded. A PNG's wrong chunk checksums are set
 * right first ({@link PngChecksums}).
 */
@ApplicationScoped
public class Renderer {

    private final Vips vips;
    private final ImageConfig config;
    private final ThreadPoolExecutor pool;
    private final java.util.concurrent.atomic.AtomicLong rendered = new java.util.concurrent.atomic.AtomicLong();

    public Renderer(VipsEngine engine, ImageConfig config) {
        this.vips = engine.vips();
        this.config = config;
        int workers = config.workers().orElse(Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.queue()),
                r -> {
                    Thread t = new Thread(r, "vips-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Renders {@code source} with options whose format and quality are resolved. */
    public Uni<Vips.Rendered> render(byte[] source, ImageOptions options) {
        return Uni.createFrom().emitter(emitter -> {
            try {
                pool.execute(() -> {
                    try {
                        emitter.complete(renderNow(source, options));
                    } catch (Throwable e) {
                        emitter.fail(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                emitter.fail(new ImageException(ImageErrorCode.Overloaded, "too many images are being rendered; retry shortly"));
            }
        });
    }

    Vips.Rendered renderNow(byte[] original, ImageOptions options) {
        SourceType type = SourceType.sniff(original);
        if (type == null) {
            throw new ImageException(SharedErrorCode.InvalidMimeType, "the object is not an image this service reads (JPEG, PNG, GIF, WebP, AVIF)");
        }
        // a wrong chunk checksum alone does not make a PNG unreadable (imgproxy renders it too)
        byte[] source = type == SourceType.PNG ? PngChecksums.repaired(original) : original;
        Vips.Header header;
        try {
            header = vips.header(source).upright();
        } catch (VipsException e) {
            throw new ImageException(ImageErrorCode.InvalidImage, "the image cannot be read: it is corrupt or truncated");
        }
        long pixels = (long) header.width() * header.height();
        if (pixels > config.maxSourcePixels()) {
            throw new ImageException(SharedErrorCode.PayloadTooLarge, "the image has " + header.width() + "x" + header.height()
                    + " pixels; at most " + config.maxSourcePixels() + " are rendered");
        }
        try {
            Vips.Rendered result = vips.render(source, Plan.of(options, header, config.maxDimension(), config.avifEffort()));
            rendered.incrementAndGet();
            return result;
        } catch (VipsException e) {
            throw new ImageException(ImageErrorCode.InvalidImage, "the image cannot be rendered: it is corrupt or truncated");
        }
    }

    /** Renders completed since start. */
    public long rendered() {
        return rendered.get();
    }

    /** Renders waiting for a thread, for metrics and tests. */
    public int queued() {
        return pool.getQueue().size();
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
