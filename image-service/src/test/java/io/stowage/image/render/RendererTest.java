package io.stowage.image.render;

import io.stowage.image.TestImages;
import io.stowage.image.config.ImageConfig;
import io.stowage.image.error.ImageException;
import io.stowage.image.url.ImageOptions;
import io.stowage.image.url.OutputFormat;
import io.stowage.image.url.ThumborUrl;
import io.stowage.image.vips.Vips;
import io.stowage.image.vips.VipsEngine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
            public long memoryCacheBytes() { return 0; }
            public java.time.Duration lookupCacheTtl() { return java.time.Duration.ZERO; }
            public long lookupCacheEntries() { return 0; }
        };
    }

    @Test
    void rendersAPngWhoseChunkChecksumIsWrong() {
        Renderer renderer = new Renderer(new VipsEngine("libvips.so.42"), config(1, 4));
        byte[] png = TestImages.halves(400, 300, "png");
        ImageOptions cover = ThumborUrl.parse("unsafe/100x50/b/n", 4096).options().withFormat(OutputFormat.PNG).withQuality(80);
        for (String chunk : new String[] {"IHDR", "IDAT", "IEND"}) {
            Vips.Rendered r = renderer.renderNow(TestImages.badChecksum(png, chunk), cover);
            assertEquals(100, r.width(), chunk);
            assertEquals(50, r.height(), chunk);
            java.awt.image.BufferedImage image = TestImages.decode(r.bytes());
            assertEquals(100, image.getWidth());
            assertEquals(0xff0000, image.getRGB(5, 25) & 0xffffff, chunk);
            assertEquals(0x0000ff, image.getRGB(95, 25) & 0xffffff, chunk);
        }
    }

    @Test
    void stillRefusesTruncatedAndGarbagePngsAsInvalidImage() {
        Renderer renderer = new Renderer(new VipsEngine("libvips.so.42"), config(1, 4));
        byte[] png = TestImages.halves(400, 300, "png");
        ImageOptions options = ThumborUrl.parse("unsafe/100x50/b/n", 4096).options().withFormat(OutputFormat.PNG).withQuality(80);
        byte[] truncated = Arrays.copyOf(TestImages.badChecksum(png, "IDAT"), png.length / 2);
        byte[] cutInHeader = Arrays.copyOf(png, 20);
        byte[] garbage = Arrays.copyOf(png, png.length);
        for (int i = 8; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31);
        }
        // a bad checksum and damaged data: the data is still refused (zlib's own check, or libpng's)
        byte[] damaged = TestImages.badChecksum(png, "IDAT");
        for (int i = 60; i < 120; i++) {
            damaged[i] ^= (byte) 0xa5;
        }
        for (byte[] bad : List.of(truncated, cutInHeader, garbage, damaged)) {
            ImageException e = assertThrows(ImageException.class, () -> renderer.renderNow(bad, options));
            assertEquals("InvalidImage", e.error());
            assertEquals(422, e.status());
        }
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
