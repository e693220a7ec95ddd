package io.stowage.image.url;

import io.stowage.image.url.ImageOptions.Fit;
import io.stowage.image.url.ImageOptions.HAlign;
import io.stowage.image.url.ImageOptions.VAlign;
import io.stowage.names.InvalidNameException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThumborUrlTest {

    private static ImageRequest parse(String path) {
        return ThumborUrl.parse(path, 4096);
    }

    @Test
    void parsesEveryPartInThumborOrder() {
        ImageRequest r = parse("abc=/trim/10x20:110x220/fit-in/-300x-200/left/bottom/smart/"
                + "filters:quality(70):format(webp):no_upscale():fill(ff8800):blur(2.5):grayscale():strip_exif()/photos/a/b c%20d.jpg");
        ImageOptions o = r.options();
        assertEquals("abc=", r.signature());
        assertEquals("trim/10x20:110x220/fit-in/-300x-200/left/bottom/smart/filters:quality(70):format(webp):no_upscale():"
                + "fill(ff8800):blur(2.5):grayscale():strip_exif()/photos/a/b c%20d.jpg", r.signedPath());
        assertEquals("photos", r.bucket());
        assertEquals("a/b c d.jpg", r.name());
        assertTrue(o.trim());
        assertEquals(new ImageOptions.Crop(10, 20, 110, 220), o.crop());
        assertEquals(Fit.INSIDE, o.fit());
        assertEquals(300, o.width());
        assertEquals(200, o.height());
        assertTrue(o.flipHorizontal());
        assertTrue(o.flipVertical());
        assertEquals(HAlign.LEFT, o.halign());
        assertEquals(VAlign.BOTTOM, o.valign());
        assertTrue(o.smart());
        assertEquals(70, o.quality());
        assertEquals(OutputFormat.WEBP, o.format());
        assertTrue(o.noUpscale());
        assertArrayEquals(new int[] {255, 136, 0}, o.fill());
        assertEquals(2.5, o.blur());
        assertTrue(o.grayscale());
        assertTrue(o.stripExif());
    }

    @Test
    void bareObjectMeansOriginalSizeCoverCentre() {
        ImageRequest r = parse("unsafe/photos/cat.png");
        assertTrue(r.unsafe());
        assertEquals("cat.png", r.name());
        assertEquals(0, r.options().width());
        assertEquals(0, r.options().height());
        assertEquals(Fit.COVER, r.options().fit());
        assertNull(r.options().format());
        assertFalse(r.options().flipHorizontal());
    }

    @Test
    void zeroOrMissingSideKeepsAspectRatio() {
        assertEquals(0, parse("unsafe/300x0/b/n").options().height());
        assertEquals(0, parse("unsafe/x200/b/n").options().width());
        assertEquals(200, parse("unsafe/x200/b/n").options().height());
    }

    @Test
    void sameRenderingHasSameCanonicalFormWhateverTheSignature() {
        assertEquals(parse("unsafe/fit-in/300x200/filters:quality(80)/b/n").options(),
                parse("xyz/fit-in/300x200/filters:quality(80)/b/other").options());
        assertNotEquals(parse("unsafe/fit-in/300x200/b/n").options().canonical(),
                parse("unsafe/300x200/b/n").options().canonical());
        assertNotEquals(parse("unsafe/300x200/b/n").options().canonical(),
                parse("unsafe/-300x200/b/n").options().canonical());
    }

    @Test
    void refusesMalformedUrls() {
        for (String bad : new String[] {"unsafe", "unsafe/300x200/onlybucket", "unsafe/5000x200/b/n", "unsafe/99999999999x1/b/n",
                "unsafe/filters:quality(0)/b/n", "unsafe/filters:quality(abc)/b/n", "unsafe/filters:quality(99999999999)/b/n",
                "unsafe/filters:format(bmp)/b/n", "unsafe/filters:explode()/b/n", "unsafe/filters:quality(80)format(png)/b/n",
                "unsafe/filters:fill(nocolour)/b/n", "unsafe/filters:blur(0)/b/n", "unsafe/filters:blur(1e999)/b/n",
                "unsafe/50x50:10x10/b/n", "unsafe/b//n",
                // numbers beyond int, anywhere in the URL
                "unsafe/0x0:99999999999x10/b/n", "unsafe/99999999999x0:10x10/b/n", "unsafe/0x0:10x2147483648/b/n",
                "unsafe/0x99999999999999999999:10x10/b/n"}) {
            assertThrows(InvalidImageUrl.class, () -> parse(bad), bad);
        }
    }

    @Test
    void refusesNamesAgainstTheNamingRules() {
        record Bad(String url, String code) {
        }
        for (Bad bad : List.of(
                new Bad("unsafe/b/%zz", InvalidNameException.OBJECT),
                new Bad("unsafe/b/a%FFb", InvalidNameException.OBJECT),
                new Bad("unsafe/b/a%00b", InvalidNameException.OBJECT),
                new Bad("unsafe/b/a%C2%85b", InvalidNameException.OBJECT),
                new Bad("unsafe/b/a/../n", InvalidNameException.OBJECT),
                new Bad("unsafe/b/%2e%2e/n", InvalidNameException.OBJECT),
                new Bad("unsafe/b/a%2F..%2Fn", InvalidNameException.OBJECT),
                new Bad("unsafe/B/n", InvalidNameException.BUCKET),
                new Bad("unsafe/..%2Fb/n", InvalidNameException.BUCKET),
                new Bad("unsafe/b%00/n", InvalidNameException.BUCKET))) {
            InvalidNameException e = assertThrows(InvalidNameException.class, () -> parse(bad.url()), bad.url());
            assertEquals(bad.code(), e.code(), bad.url());
        }
        assertThrows(InvalidNameException.class, () -> ThumborUrl.objectPath("b/a%00"));
    }

    @Test
    void keepsAPlusInAPathLiteral() {
        assertEquals("a+b.png", parse("unsafe/b/a+b.png").name());
    }

    @Test
    void parsesColoursByHexAndName() {
        assertArrayEquals(new int[] {255, 255, 255}, ThumborUrl.colour("white"));
        assertArrayEquals(new int[] {0xaa, 0xbb, 0xcc}, ThumborUrl.colour("abc"));
        assertArrayEquals(new int[] {0x12, 0x34, 0x56}, ThumborUrl.colour("#123456"));
    }

    @Test
    void supabaseParametersMapToTheSameOptions() {
        ImageOptions contain = SupabaseRender.options(q("300", "200", "contain", "70"), 4096);
        assertEquals(Fit.INSIDE, contain.fit());
        assertEquals(300, contain.width());
        assertEquals(70, contain.quality());
        assertEquals(Fit.COVER, SupabaseRender.options(q("300", null, null, null), 4096).fit());
        assertEquals(Fit.FILL, SupabaseRender.options(q("300", "10", "fill", null), 4096).fit());
        assertTrue(SupabaseRender.format("origin").origin());
        assertEquals(OutputFormat.AVIF, SupabaseRender.format("avif").explicit());
        assertNull(SupabaseRender.format(null).explicit());
        assertThrows(InvalidImageUrl.class, () -> SupabaseRender.options(q("300", "200", "stretch", null), 4096));
        assertThrows(InvalidImageUrl.class, () -> SupabaseRender.options(q("0", "200", null, null), 4096));
        assertThrows(InvalidImageUrl.class, () -> SupabaseRender.options(q("300", "200", null, "5"), 4096));
        assertThrows(InvalidImageUrl.class, () -> SupabaseRender.format("gif"));
    }

    @Test
    void supabaseGravityKeepsAnEdgeAFocalPointOrTheSmartPart() {
        ImageOptions southEast = SupabaseRender.options(new SupabaseRender.Query("100", "100", null, null, null, "soea", null, null), 4096);
        assertEquals(ImageOptions.HAlign.RIGHT, southEast.halign());
        assertEquals(ImageOptions.VAlign.BOTTOM, southEast.valign());
        assertNull(southEast.shift());
        ImageOptions north = SupabaseRender.options(new SupabaseRender.Query("100", "100", null, null, null, "no", "10", "-0.5"), 4096);
        assertEquals(ImageOptions.HAlign.CENTER, north.halign());
        assertEquals(ImageOptions.VAlign.TOP, north.valign());
        assertEquals(new ImageOptions.Shift(10, -0.5, false), north.shift());
        assertTrue(SupabaseRender.options(new SupabaseRender.Query("100", "100", null, null, null, "sm", null, null), 4096).smart());
        ImageOptions focal = SupabaseRender.options(new SupabaseRender.Query("100", "100", null, null, null, "fp", "0.2", null), 4096);
        assertEquals(new ImageOptions.Shift(0.2, 0.5, true), focal.shift());
        // the variant a focal point names is not the centred one
        ImageOptions centred = SupabaseRender.options(q("100", "100", null, null), 4096);
        assertTrue(!focal.canonical().equals(centred.canonical()));
        assertThrows(InvalidImageUrl.class, () -> SupabaseRender.options(new SupabaseRender.Query("1", "1", null, null, null, "up", null, null), 4096));
        assertThrows(InvalidImageUrl.class, () -> SupabaseRender.options(new SupabaseRender.Query("1", "1", null, null, null, "fp", "1.5", null), 4096));
        assertThrows(InvalidImageUrl.class, () -> SupabaseRender.options(new SupabaseRender.Query("1", "1", null, null, null, "no", "x", null), 4096));
        assertThrows(InvalidImageUrl.class, () -> SupabaseRender.options(new SupabaseRender.Query("1", "1", null, null, null, "no", "NaN", null), 4096));
    }

    @Test
    void aRenderQueryParsesAsTheRouteReadsIt() {
        SupabaseRender.Query query = SupabaseRender.Query.parse("width=200&height=100&resize=contain&gravity=fp&x_offset=0.25&unknown=1&format=origin");
        assertEquals(new SupabaseRender.Query("200", "100", "contain", null, "origin", "fp", "0.25", null), query);
        assertEquals(new SupabaseRender.Query(null, null, null, null, null, null, null, null), SupabaseRender.Query.parse(""));
        assertEquals("a b", SupabaseRender.Query.parse("resize=a%20b").resize());
        assertThrows(InvalidImageUrl.class, () -> SupabaseRender.Query.parse("resize=%zz"));
    }

    private static SupabaseRender.Query q(String width, String height, String resize, String quality) {
        return new SupabaseRender.Query(width, height, resize, quality, null, null, null, null);
    }
}
