package io.stowage.image.url;

import io.stowage.image.url.ImageOptions.Fit;
import io.stowage.image.url.ImageOptions.HAlign;
import io.stowage.image.url.ImageOptions.Shift;
import io.stowage.image.url.ImageOptions.VAlign;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Supabase Storage's image transformation parameters ({@code render/image/...?width=&height=&resize=
 * &quality=&format=&gravity=&x_offset=&y_offset=}), turned into the same options the Thumbor syntax
 * produces. {@code gravity} takes imgproxy's names, as Supabase does: {@code no so ea we noea nowe
 * soea sowe ce} (an edge or corner to keep), {@code sm} (smart: the most interesting part) and
 * {@code fp} (a focal point at {@code x_offset, y_offset}, fractions 0..1 of the width and height).
 * With the others, {@code x_offset}/{@code y_offset} move the crop inwards from that edge: pixels, or a
 * fraction of the side when between -1 and 1.
 */
public final class SupabaseRender {

    /** The options Supabase's render routes read; any other query parameter is ignored. */
    public record Query(String width, String height, String resize, String quality, String format,
                        String gravity, String xOffset, String yOffset) {

        /**
         * A query string ({@code width=200&height=100}), as a signed render token carries it.
         * Values are percent-decoded; a malformed escape is an invalid URL.
         */
        public static Query parse(String query) {
            Map<String, String> values = new HashMap<>();
            if (query != null && !query.isEmpty()) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : pair.substring(eq + 1);
                    try {
                        values.putIfAbsent(name, URLDecoder.decode(value, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidImageUrl("the transformation '" + name + "' is not URL-encoded");
                    }
                }
            }
            return new Query(values.get("width"), values.get("height"), values.get("resize"), values.get("quality"),
                    values.get("format"), values.get("gravity"), values.get("x_offset"), values.get("y_offset"));
        }
    }

    private SupabaseRender() {
    }

    /** The size, resize mode, quality and gravity; the format is read apart with {@link #format(String)}. */
    public static ImageOptions options(Query q, int maxDimension) {
        int w = dimension(q.width(), "width", maxDimension);
        int h = dimension(q.height(), "height", maxDimension);
        Fit fit = switch (q.resize() == null ? "cover" : q.resize().toLowerCase(Locale.ROOT)) {
            case "cover" -> Fit.COVER;
            case "contain" -> Fit.INSIDE;
            case "fill" -> Fit.FILL;
            default -> throw new InvalidImageUrl("resize must be cover, contain or fill");
        };
        int quality = 0;
        if (q.quality() != null && !q.quality().isBlank()) {
            try {
                quality = Integer.parseInt(q.quality().trim());
            } catch (NumberFormatException e) {
                throw new InvalidImageUrl("quality takes a whole number");
            }
            if (quality < 20 || quality > 100) {
                throw new InvalidImageUrl("quality must be 20..100");
            }
        }
        String gravity = q.gravity() == null || q.gravity().isBlank() ? "ce" : q.gravity().toLowerCase(Locale.ROOT);
        HAlign halign = switch (gravity) {
            case "we", "nowe", "sowe" -> HAlign.LEFT;
            case "ea", "noea", "soea" -> HAlign.RIGHT;
            case "no", "so", "ce", "sm", "fp" -> HAlign.CENTER;
            default -> throw new InvalidImageUrl("gravity must be one of no, so, ea, we, noea, nowe, soea, sowe, ce, sm, fp");
        };
        VAlign valign = switch (gravity) {
            case "no", "noea", "nowe" -> VAlign.TOP;
            case "so", "soea", "sowe" -> VAlign.BOTTOM;
            default -> VAlign.MIDDLE;
        };
        boolean focal = gravity.equals("fp");
        double x = offset(q.xOffset(), "x_offset", focal ? 0.5 : 0, focal);
        double y = offset(q.yOffset(), "y_offset", focal ? 0.5 : 0, focal);
        Shift shift = focal || x != 0 || y != 0 ? new Shift(x, y, focal) : null;
        return new ImageOptions(false, null, fit, w, h, false, false, halign, valign, gravity.equals("sm"),
                quality, null, false, null, 0, false, false, shift);
    }

    /** Supabase's {@code format}: null (negotiate), {@code origin} or a named format. */
    public static Format format(String format) {
        if (format == null || format.isBlank()) {
            return new Format(false, null);
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "origin" -> new Format(true, null);
            case "webp" -> new Format(false, OutputFormat.WEBP);
            case "avif" -> new Format(false, OutputFormat.AVIF);
            default -> throw new InvalidImageUrl("format must be origin, webp or avif");
        };
    }

    /** {@code origin}: keep the source format, no negotiation; else {@code explicit} or negotiate when null. */
    public record Format(boolean origin, OutputFormat explicit) {
    }

    private static int dimension(String value, String name, int max) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidImageUrl(name + " takes a whole number");
        }
        if (v < 1 || v > max) {
            throw new InvalidImageUrl(name + " must be 1.." + max);
        }
        return v;
    }

    private static double offset(String value, String name, double absent, boolean fraction) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        double v;
        try {
            v = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidImageUrl(name + " takes a number");
        }
        if (fraction ? !(v >= 0 && v <= 1) : !(Math.abs(v) <= 100_000)) {
            throw new InvalidImageUrl(fraction ? name + " of a focal point must be 0..1" : name + " must be -100000..100000");
        }
        return v;
    }
}
