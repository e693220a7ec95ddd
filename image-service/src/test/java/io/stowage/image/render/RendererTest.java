package io.stowage.image.render;

import io.stowage.image.TestImages;
import io.stowage.image.config.ImageConfig;
import io.stowage.image.error.ImageException;
import io.stowage.image.url.ImageOptions;
import io.stowage.image.url.OutputFormat;
import io.stowage.image.url.ThumborUrl;
import io.stowage.image.vips.VipsEngine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RendererTest {

    private static ImageConfig config(int workers, int queue) {
        return new ImageConfig() {
            public String metadataUrl() { return "http://127.0.0.1:1"; }
            public String signingUrl() { return "http://127.0.0.1:1"; }
            public String vipsLibrary() { return "libvips.so.42"; }
            public Optional<Integer> workers() { return Optional.of(workers); }
            public int queue() { return queue; }
            public long maxSourcePixels() { return 50_000_000; }
            public long maxSourceBytes() { return 50_000_000; }
            public int maxDimension() { return 4096; }
            public int defaultQuality() { return 80; }
            public int avifEffort() { return 6; }
            public boolean unsafeEnabled() { return true; }
            public String variantPrefix() { return "variants/"; }
        };
    }

    @Test
    void refusesRendersBeyondTheQueueWithOverloaded() {
        Renderer renderer = new Renderer(new VipsEngine("libvips.so.42"), config(1, 1));
        byte[] big = TestImages.halves(3000, 2000, "jpg");
        ImageOptions avif = ThumborUrl.parse("unsafe/1500x1000/filters:quality(90)/b/n", 4096).options()
                .withFormat(OutputFormat.AVIF);
        List<CompletableFuture<?>> renders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            renders.add(renderer.render(big, avif).subscribeAsCompletionStage());
        }
        int overloaded = 0;
        int rendered = 0;
        for (CompletableFuture<?> r : renders) {
            try {
                r.join();
                rendered++;
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof ImageException, e.toString());
                assertEquals("Overloaded", ((ImageException) e.getCause()).error());
                assertEquals(503, ((ImageException) e.getCause()).status());
                overloaded++;
            }
        }
        // one worker, one queue slot: the first two render, the rest are refused at once
        assertEquals(2, rendered);
        assertEquals(2, overloaded);
    }
}
