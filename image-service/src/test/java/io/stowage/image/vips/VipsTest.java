package io.stowage.image.vips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VipsTest {

    private static Vips vips;

    @BeforeAll
    static void load() {
        vips = Vips.load("libvips.so.42");
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void reportsTheSystemLibraryVersion() {
        assertTrue(vips.version().matches("8\\.\\d+\\.\\d+.*"), vips.version());
    }

    @Test
    void shrinksToFitTheBoxKeepingTheAspectRatio() throws Exception {
        Vips.Rendered jpeg = vips.thumbnail(png(400, 300), 100, 100, ".jpg[Q=80]");
        assertEquals(100, jpeg.width());
        assertEquals(75, jpeg.height());
        assertEquals((byte) 0xFF, jpeg.bytes()[0]);
        assertEquals((byte) 0xD8, jpeg.bytes()[1]);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg.bytes()));
        assertEquals(100, decoded.getWidth());
        assertEquals(75, decoded.getHeight());
    }

    @Test
    void encodesWebp() throws Exception {
        Vips.Rendered webp = vips.thumbnail(png(64, 64), 32, 32, ".webp[Q=75]");
        assertEquals("RIFF", new String(Arrays.copyOfRange(webp.bytes(), 0, 4), StandardCharsets.US_ASCII));
        assertEquals("WEBP", new String(Arrays.copyOfRange(webp.bytes(), 8, 12), StandardCharsets.US_ASCII));
        assertEquals(32, webp.width());
    }

    @Test
    void refusesBytesThatAreNoImageWithLibvipsReason() {
        VipsException e = assertThrows(VipsException.class,
                () -> vips.thumbnail("#!/bin/sh\necho not an image\n".getBytes(StandardCharsets.UTF_8), 10, 10, ".png"));
        assertTrue(e.getMessage().startsWith("cannot decode the image"), e.getMessage());
    }

    @Test
    void survivesManyCallsWithoutLeakingIntoTheErrorBuffer() throws Exception {
        byte[] source = png(50, 50);
        for (int i = 0; i < 50; i++) {
            assertEquals(10, vips.thumbnail(source, 10, 10, ".png").width());
        }
        assertThrows(VipsException.class, () -> vips.thumbnail(new byte[] {1, 2, 3}, 10, 10, ".png"));
        assertEquals(10, vips.thumbnail(source, 10, 10, ".png").width());
    }
}
