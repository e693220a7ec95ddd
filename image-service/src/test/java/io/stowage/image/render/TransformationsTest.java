package io.stowage.image.render;

import io.stowage.image.url.ImageOptions;
import io.stowage.image.url.OutputFormat;
import io.stowage.image.url.SupabaseRender;
import io.stowage.image.url.ThumborUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TransformationsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            300x200/b/n                                            | WEBP | resize:cover:300:200/format:webp/quality:80
            fit-in/300x200/b/n                                     | JPEG | resize:contain:300:200/format:jpeg/quality:80
            300x0/b/n                                              | AVIF | resize:cover:300:0/format:avif/quality:80
            b/n                                                    | JPEG | format:jpeg/quality:80
            100x100/left/top/b/n                                   | PNG  | resize:cover:100:100/gravity:left:top/format:png
            100x100/smart/b/n                                      | PNG  | resize:cover:100:100/gravity:smart/format:png
            fit-in/100x100/left/b/n                                | PNG  | resize:contain:100:100/format:png
            trim/10x20:110x220/-50x-60/filters:no_upscale()/b/n    | JPEG | trim/crop:10:20:110:220/resize:cover:50:60/no_upscale/flip:horizontal:vertical/format:jpeg/quality:80
            fit-in/-50x60/filters:fill(f80):blur(1.5):grayscale():strip_exif():quality(35)/b/n | WEBP | resize:contain:50:60/flip:horizontal/background:ff8800/blur:1.5/grayscale/strip_metadata/format:webp/quality:35
            filters:blur(2)/b/n                                    | JPEG | blur:2/format:jpeg/quality:80
            """)
    void namesTheAppliedOperationsOfAThumborUrl(String url, OutputFormat format, String expected) {
        ImageOptions options = ThumborUrl.parse("unsafe/" + url, 4096).options();
        ImageOptions resolved = options.withFormat(format).withQuality(options.quality() == 0 ? 80 : options.quality());
        assertEquals(expected, Transformations.of(resolved));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            300 | 200 | -       | -  | -    | -    | -   | WEBP | resize:cover:300:200/format:webp/quality:80
            300 | 200 | contain | 60 | -    | -    | -   | AVIF | resize:contain:300:200/format:avif/quality:60
            300 | 200 | fill    | -  | -    | -    | -   | JPEG | resize:fill:300:200/format:jpeg/quality:80
            -   | 120 | -       | -  | -    | -    | -   | PNG  | resize:cover:0:120/format:png
            -   | -   | -       | 90 | -    | -    | -   | JPEG | format:jpeg/quality:90
            300 | 200 | -       | -  | sowe | -    | -   | WEBP | resize:cover:300:200/gravity:left:bottom/format:webp/quality:80
            300 | 200 | -       | -  | no   | 10   | 0.5 | WEBP | resize:cover:300:200/gravity:center:top:10:0.5/format:webp/quality:80
            300 | 200 | -       | -  | fp   | 0.25 | -   | WEBP | resize:cover:300:200/gravity:fp:0.25:0.5/format:webp/quality:80
            300 | 200 | -       | -  | sm   | -    | -   | WEBP | resize:cover:300:200/gravity:smart/format:webp/quality:80
            """)
    void namesTheAppliedOperationsOfASupabaseRender(String width, String height, String resize, String quality,
                                                    String gravity, String xOffset, String yOffset,
                                                    OutputFormat format, String expected) {
        ImageOptions options = SupabaseRender.options(new SupabaseRender.Query(width, height, resize, quality, null, gravity, xOffset, yOffset), 4096);
        ImageOptions resolved = options.withFormat(format).withQuality(options.quality() == 0 ? 80 : options.quality());
        assertEquals(expected, Transformations.of(resolved));
    }
}
