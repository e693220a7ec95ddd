package io.stowage.image.render;

import io.stowage.image.TestImages;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class PngChecksumsTest {

    private static final byte[] PNG = TestImages.halves(40, 30, "png");

    @Test
    void leavesAPngWithRightChecksumsAsItIs() {
        assertSame(PNG, PngChecksums.repaired(PNG));
    }

    @Test
    void setsWrongChecksumsRightWithoutTouchingTheData() {
        for (String chunk : new String[] {"IHDR", "IDAT", "IEND"}) {
            byte[] bad = TestImages.badChecksum(PNG, chunk);
            assertFalse(Arrays.equals(PNG, bad));
            assertArrayEquals(PNG, PngChecksums.repaired(bad), chunk);
        }
    }

    @Test
    void leavesATruncatedChunkForTheDecoderToRefuse() {
        byte[] truncated = Arrays.copyOf(TestImages.badChecksum(PNG, "IDAT"), PNG.length - 20);
        byte[] repaired = PngChecksums.repaired(truncated);
        // IHDR was right; the cut IDAT is not complete, so nothing is rewritten
        assertSame(truncated, repaired);
        byte[] garbage = Arrays.copyOf(PNG, 64);
        Arrays.fill(garbage, 8, 64, (byte) 0xff);
        assertSame(garbage, PngChecksums.repaired(garbage));
    }
}
