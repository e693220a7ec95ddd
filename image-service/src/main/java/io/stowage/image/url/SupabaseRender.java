package io.stowage.image.url;

import io.stowage.image.url.ImageOptions.Fit;
import io.stowage.image.url.ImageOptions.HAlign;
import io.stowage.image.url.ImageOptions.VAlign;

import java.util.Locale;

/**
 * Supabase Storage's image transformation parameters ({@code render/image/...?width=&height=&resize=&quality=&format=}),
 * turned into the same options the Thumbor syntax produces.
 */
public final class SupabaseRender {

    private SupabaseRender() {
    }

    /** The size, resize mode and quality; the format is read apart with {@link #format(String)}. */
    public static ImageOptions options(String width, String height, String resize, String quality, int maxDimension) {
        int w = dimension(width, "width", maxDimension);
        int h = dimension(height, "height", maxDimension);
        Fit fit = switch (resize == null ? "cover" : resize.toLowerCase(Locale.ROOT)) {
            case "cover" -> Fit.COVER;
            case "contain" -> Fit.INSIDE;
            case "fill" -> Fit.FILL;
            default -> throw new InvalidImageUrl("resize must be cover, contain or fill");
        };
        int q = 0;
        if (quality != null && !quality.isBlank()) {
            try {
                q = Integer.parseInt(quality.trim());
            } catch (NumberFormatException e) {
                throw new InvalidImageUrl("quality takes a whole number");
            }
            if (q < 20 || q > 100) {
                throw new InvalidImageUrl("quality must be 20..100");
            }
        }
        return new ImageOptions(false, null, fit, w, h, false, false, HAlign.CENTER, VAlign.MIDDLE, false,
                q, null, false, null, 0, false, false);
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
}
