package io.stowage.image.render;

import io.stowage.image.url.ImageOptions;
import io.stowage.image.url.OutputFormat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The {@code X-Transformations} answer header: what a rendering applied, in imgproxy's processing
 * option style ({@code name:arg:arg}, joined by {@code /}), as Supabase answers it. Pure: it reads
 * only the resolved options, so a cached variant carries the same text as its first render.
 *
 * <p>In order: {@code trim}, {@code crop:L:T:R:B}, {@code resize:cover|contain|fill:W:H} (0 = that
 * side follows the aspect ratio), {@code gravity:smart}, {@code gravity:fp:X:Y} (a focal point) or
 * {@code gravity:H:V[:DX:DY]} (a cover crop off centre, or moved by offsets), {@code no_upscale}, {@code flip:horizontal[:vertical]}/{@code flip:vertical},
 * {@code background:RRGGBB}, {@code blur:SIGMA}, {@code grayscale}, {@code strip_metadata}, then
 * always {@code format:F} and, except for lossless PNG, {@code quality:Q}. Options left at their
 * default are not named.
 */
public final class Transformations {

    private Transformations() {
    }

    /** @param options the options with the output format and quality resolved */
    public static String of(ImageOptions options) {
        List<String> applied = new ArrayList<>();
        if (options.trim()) {
            applied.add("trim");
        }
        if (options.crop() != null) {
            ImageOptions.Crop c = options.crop();
            applied.add("crop:" + c.left() + ":" + c.top() + ":" + c.right() + ":" + c.bottom());
        }
        boolean sized = options.width() > 0 || options.height() > 0;
        if (sized) {
            applied.add("resize:" + mode(options.fit()) + ":" + options.width() + ":" + options.height());
            // a crop happens only when both sides are fixed and the image covers the box
            if (options.fit() == ImageOptions.Fit.COVER && options.width() > 0 && options.height() > 0) {
                ImageOptions.Shift shift = options.shift();
                if (options.smart()) {
                    applied.add("gravity:smart");
                } else if (shift != null && shift.focal()) {
                    applied.add("gravity:fp:" + number(shift.x()) + ":" + number(shift.y()));
                } else if (shift != null) {
                    applied.add("gravity:" + lower(options.halign()) + ":" + lower(options.valign())
                            + ":" + number(shift.x()) + ":" + number(shift.y()));
                } else if (options.halign() != ImageOptions.HAlign.CENTER || options.valign() != ImageOptions.VAlign.MIDDLE) {
                    applied.add("gravity:" + lower(options.halign()) + ":" + lower(options.valign()));
                }
            }
            if (options.noUpscale()) {
                applied.add("no_upscale");
            }
        }
        if (options.flipHorizontal() && options.flipVertical()) {
            applied.add("flip:horizontal:vertical");
        } else if (options.flipHorizontal()) {
            applied.add("flip:horizontal");
        } else if (options.flipVertical()) {
            applied.add("flip:vertical");
        }
        if (options.fill() != null) {
            int[] rgb = options.fill();
            applied.add("background:" + HexFormat.of().toHexDigits((byte) rgb[0]) + HexFormat.of().toHexDigits((byte) rgb[1])
                    + HexFormat.of().toHexDigits((byte) rgb[2]));
        }
        if (options.blur() > 0) {
            applied.add("blur:" + number(options.blur()));
        }
        if (options.grayscale()) {
            applied.add("grayscale");
        }
        if (options.stripExif()) {
            applied.add("strip_metadata");
        }
        OutputFormat format = options.format();
        if (format != null) {
            applied.add("format:" + lower(format));
            if (format != OutputFormat.PNG && options.quality() > 0) {
                applied.add("quality:" + options.quality());
            }
        }
        return String.join("/", applied);
    }

    /** Supabase's names for the resize modes (imgproxy's fill, fit and force). */
    private static String mode(ImageOptions.Fit fit) {
        return switch (fit) {
            case COVER -> "cover";
            case INSIDE -> "contain";
            case FILL -> "fill";
        };
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
