package io.stowage.image.vips;

import io.stowage.image.vips.Vips.Align;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CropStartTest {

    @Test
    void theAlignmentPlacesTheCropAndAShiftMovesItInwards() {
        assertEquals(0, Vips.cropStart(400, 100, Align.START, 0, false));
        assertEquals(150, Vips.cropStart(400, 100, Align.CENTRE, 0, false));
        assertEquals(300, Vips.cropStart(400, 100, Align.END, 0, false));
        assertEquals(20, Vips.cropStart(400, 100, Align.START, 20, false));
        assertEquals(280, Vips.cropStart(400, 100, Align.END, 20, false), "from the right edge, inwards");
        assertEquals(130, Vips.cropStart(400, 100, Align.CENTRE, -20, false));
        assertEquals(100, Vips.cropStart(400, 100, Align.START, 0.25, false), "a fraction of the side");
    }

    @Test
    void neverLeavesTheImage() {
        assertEquals(300, Vips.cropStart(400, 100, Align.START, 10_000, false));
        assertEquals(0, Vips.cropStart(400, 100, Align.END, 10_000, false));
        assertEquals(0, Vips.cropStart(100, 100, Align.CENTRE, 50, false));
    }

    @Test
    void aFocalPointCentresTheCropOnIt() {
        assertEquals(150, Vips.cropStart(400, 100, Align.CENTRE, 0.5, true));
        assertEquals(270, Vips.cropStart(400, 100, Align.CENTRE, 0.8, true));
        assertEquals(300, Vips.cropStart(400, 100, Align.CENTRE, 0.9, true), "as far as the image allows");
        assertEquals(0, Vips.cropStart(400, 100, Align.CENTRE, 0.05, true));
        assertEquals(300, Vips.cropStart(400, 100, Align.CENTRE, 1, true));
    }
}
