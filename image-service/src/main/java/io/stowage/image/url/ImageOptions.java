package io.stowage.image.url;

import java.util.HexFormat;
import java.util.Locale;

/**
 * What a URL asks for, normalised: two URLs that mean the same rendering have equal options and the
 * same {@link #canonical()} form, which names the cached variant.
 *
 * @param crop        manual crop of the source (Thumbor's {@code AxB:CxD}), or null
 * @param width       requested width, 0 = follow the aspect ratio
 * @param height      requested height, 0 = follow the aspect ratio
 * @param fit         INSIDE ({@code fit-in}), COVER (Thumbor's default, Supabase's {@code cover}) or FILL (stretch)
 * @param format      explicit output format, or null: negotiated from {@code Accept}, else the source's
 * @param quality     1..100, or 0 for the configured default
 * @param fill        background RGB for transparency and fit-in padding, or null
 * @param blur        Gaussian blur sigma, 0 for none
 * @param shift       where a cover crop keeps the image beyond its alignment (Supabase's focal point
 *                    or offsets), or null
 */
public record ImageOptions(
        boolean trim,
        Crop crop,
        Fit fit,
        int width,
        int height,
        boolean flipHorizontal,
        boolean flipVertical,
        HAlign halign,
        VAlign valign,
        boolean smart,
        int quality,
        OutputFormat format,
        boolean noUpscale,
        int[] fill,
        double blur,
        boolean grayscale,
        boolean stripExif,
        Shift shift) {

    /** The options of every rendering but Supabase's gravity offsets: no shift. */
    public ImageOptions(boolean trim, Crop crop, Fit fit, int width, int height, boolean flipHorizontal,
                        boolean flipVertical, HAlign halign, VAlign valign, boolean smart, int quality, OutputFormat format,
                        boolean noUpscale, int[] fill, double blur, boolean grayscale, boolean stripExif) {
        this(trim, crop, fit, width, height, flipHorizontal, flipVertical, halign, valign, smart, quality, format,
                noUpscale, fill, blur, grayscale, stripExif, null);
    }

    /**
     * Where a cover crop is taken, beyond the alignment. {@code focal}: {@code x} and {@code y} are the
     * point (fractions 0..1 of the width and height) the crop is centred on, as far as the image
     * allows. Otherwise they move the crop from where the alignment puts it, inwards from the edge it
     * is aligned to (rightwards and downwards when centred): pixels, or a fraction of the image's side
     * when between -1 and 1.
     */
    public record Shift(double x, double y, boolean focal) {
    }

    public enum Fit { INSIDE, COVER, FILL }

    public enum HAlign { LEFT, CENTER, RIGHT }

    public enum VAlign { TOP, MIDDLE, BOTTOM }

    /** Thumbor's manual crop: the rectangle from (left, top) to (right, bottom), in source pixels. */
    public record Crop(int left, int top, int right, int bottom) {
    }

    /** The options with another output format (after content negotiation). */
    public ImageOptions withFormat(OutputFormat chosen) {
        return new ImageOptions(trim, crop, fit, width, height, flipHorizontal, flipVertical, halign, valign, smart,
                quality, chosen, noUpscale, fill, blur, grayscale, stripExif, shift);
    }

    /** The options with the quality the service uses when the URL names none. */
    public ImageOptions withQuality(int chosen) {
        return new ImageOptions(trim, crop, fit, width, height, flipHorizontal, flipVertical, halign, valign, smart,
                chosen, format, noUpscale, fill, blur, grayscale, stripExif, shift);
    }

    /**
     * A stable text form of every option that changes the bytes, used to derive the variant key;
     * bump {@code v1} when the rendering of the same options changes.
     */
    public String canonical() {
        StringBuilder s = new StringBuilder("v1");
        if (trim) {
            s.append("|trim");
        }
        if (crop != null) {
            s.append("|crop=").append(crop.left()).append(',').append(crop.top()).append(',')
                    .append(crop.right()).append(',').append(crop.bottom());
        }
        s.append("|fit=").append(fit.name().toLowerCase(Locale.ROOT))
                .append("|size=").append(width).append('x').append(height);
        if (flipHorizontal) {
            s.append("|fliph");
        }
        if (flipVertical) {
            s.append("|flipv");
        }
        s.append("|align=").append(halign.name().toLowerCase(Locale.ROOT)).append(',').append(valign.name().toLowerCase(Locale.ROOT));
        if (smart) {
            s.append("|smart");
        }
        if (shift != null) {
            s.append(shift.focal() ? "|focus=" : "|shift=").append(shift.x()).append(',').append(shift.y());
        }
        s.append("|q=").append(quality);
        s.append("|fmt=").append(format == null ? "auto" : format.name().toLowerCase(Locale.ROOT));
        if (noUpscale) {
            s.append("|noup");
        }
        if (fill != null) {
            s.append("|fill=").append(HexFormat.of().toHexDigits((byte) fill[0]))
                    .append(HexFormat.of().toHexDigits((byte) fill[1])).append(HexFormat.of().toHexDigits((byte) fill[2]));
        }
        if (blur > 0) {
            s.append("|blur=").append(blur);
        }
        if (grayscale) {
            s.append("|gray");
        }
        if (stripExif) {
            s.append("|strip");
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageOptions other && canonical().equals(other.canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return canonical();
    }
}
