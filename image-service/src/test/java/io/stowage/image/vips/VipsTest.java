package io.stowage.image.vips;

import io.stowage.image.TestImages;
import io.stowage.image.vips.Vips.Fit;
import io.stowage.image.vips.Vips.Pipeline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FFM binding against the system's libvips. */
class VipsTest {

    private static Vips vips;

    @BeforeAll
    static void load() {
        vips = Vips.load("libvips.so.42");
    }

    @Test
    void reportsItsVersion() {
        assertTrue(vips.version().matches("\\d+\\.\\d+\\.\\d+.*"), vips.version());
    }

    @Test
    void readsDimensionsOfABombFromTheHeaderWithoutDecodingIt() {
        byte[] bomb = TestImages.pngBomb(20000);
        assertTrue(bomb.length < 100_000, "the bomb is small: " + bomb.length);
        Vips.Header header = vips.header(bomb);
        assertEquals(20000, header.width());
        assertEquals(20000, header.height());
    }

    @Test
    void thumbnailsJpegToWebp() {
        Vips.Rendered r = vips.thumbnail(TestImages.halves(400, 300, "jpg"), 100, 100, ".webp[Q=80]");
        assertEquals(100, r.width());
        assertEquals(75, r.height());
        assertEquals("WEBP", new String(r.bytes(), 8, 4, StandardCharsets.US_ASCII));
    }

    @Test
    void failsCleanlyOnGarbageAndKeepsWorking() {
        byte[] garbage = "this is not an image at all".getBytes(StandardCharsets.US_ASCII);
        assertThrows(VipsException.class, () -> vips.header(garbage));
        assertThrows(VipsException.class, () -> vips.thumbnail(garbage, 10, 10, ".png"));
        byte[] truncated = java.util.Arrays.copyOf(TestImages.halves(400, 300, "png"), 100);
        assertThrows(VipsException.class, () -> vips.render(truncated,
                new Pipeline(null, false, 10, 10, Fit.INSIDE, false, false, false, false, null, 0, false, ".png", false)));
        assertEquals(10, vips.thumbnail(TestImages.halves(40, 30, "png"), 10, 10, ".png").width());
    }

    @Test
    void flipsFlattensAndTurnsGray() {
        byte[] halves = TestImages.halves(200, 100, "png");
        BufferedImage flipped = TestImages.decode(vips.render(halves,
                new Pipeline(null, false, 200, 100, Fit.INSIDE, false, false, true, false, null, 0, false, ".png", false)).bytes());
        assertEquals(0xff0000ff, flipped.getRGB(10, 50));
        BufferedImage flattened = TestImages.decode(vips.render(TestImages.transparent(20, 20),
                new Pipeline(null, false, 20, 20, Fit.INSIDE, false, false, false, false, new int[] {0, 255, 0}, 0, false, ".jpg[Q=95]", true)).bytes());
        int g = flattened.getRGB(10, 10);
        assertTrue(((g >> 8) & 0xff) > 240 && ((g >> 16) & 0xff) < 20, Integer.toHexString(g));
        BufferedImage gray = TestImages.decode(vips.render(halves,
                new Pipeline(null, false, 200, 100, Fit.INSIDE, false, false, false, false, null, 0, true, ".png", false)).bytes());
        int p = gray.getRGB(10, 50);
        assertEquals((p >> 16) & 0xff, p & 0xff);
    }

    @Test
    void manyRendersReleaseTheirNativeMemory() {
        byte[] source = TestImages.halves(400, 300, "jpg");
        for (int i = 0; i < 200; i++) {
            vips.render(source, new Pipeline(new Vips.Area(0, 0, 200, 300), true, 50, 50, Fit.INSIDE, false, false,
                    true, true, new int[] {1, 2, 3}, 1.5, true, ".jpg[Q=50]", true));
        }
        // a leak of the source buffer (120 KB decoded each time) would show as growth; the real check is
        // that every arena closed: a second round still works on the same thread
        assertEquals(50, vips.thumbnail(source, 50, 50, ".jpg").width());
    }
}
