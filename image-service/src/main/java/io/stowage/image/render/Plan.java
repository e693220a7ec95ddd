package io.stowage.image.render;

import io.stowage.image.url.ImageOptions;
import io.stowage.image.url.OutputFormat;
import io.stowage.image.vips.Vips;
import io.stowage.image.vips.Vips.Align;
import io.stowage.image.vips.Vips.Area;
import io.stowage.image.vips.Vips.Fit;
import io.stowage.image.vips.Vips.Header;
import io.stowage.image.vips.Vips.Pipeline;

/**
 * Turns URL options and the source's header into one libvips pipeline. Pure: the sizes and crops it
 * computes are unit-tested without libvips.
 */
public final class Plan {

    private Plan() {
    }

    /**
     * @param options  the options with the output format and quality resolved
     * @param source   the source's dimensions as displayed (EXIF rotation applied)
     * @param maxSide  the cap of any output side
     */
    public static Pipeline of(ImageOptions options, Header source, int maxSide, int avifEffort) {
        OutputFormat format = options.format();
        Area crop = null;
        int sw = source.width();
        int sh = source.height();
        if (options.crop() != null) {
            ImageOptions.Crop c = options.crop();
            int right = Math.min(c.right(), sw);
            int bottom = Math.min(c.bottom(), sh);
            if (c.left() < sw && c.top() < sh && right > c.left() && bottom > c.top()) {
                crop = new Area(c.left(), c.top(), right - c.left(), bottom - c.top());
                sw = crop.width();
                sh = crop.height();
            }
        }
        int w = options.width();
        int h = options.height();
        Fit fit;
        int thumbW;
        int thumbH;
        int coverW = 0;
        int coverH = 0;
        int boxW = 0;
        int boxH = 0;
        boolean noUpscale = options.noUpscale();
        if (w == 0 && h == 0) {
            // no size: the source as it is, within the output cap
            fit = Fit.INSIDE;
            thumbW = Math.min(sw, maxSide);
            thumbH = Math.min(sh, maxSide);
            noUpscale = true;
        } else if (w == 0 || h == 0) {
            // one side free: the aspect ratio decides it, the cap bounds it
            fit = Fit.INSIDE;
            thumbW = w == 0 ? maxSide : w;
            thumbH = h == 0 ? maxSide : h;
        } else if (options.fit() == ImageOptions.Fit.INSIDE) {
            fit = Fit.INSIDE;
            thumbW = w;
            thumbH = h;
            boxW = w;
            boxH = h;
        } else if (options.fit() == ImageOptions.Fit.FILL) {
            fit = Fit.FORCE;
            thumbW = w;
            thumbH = h;
        } else {
            fit = Fit.COVER;
            if (options.smart()) {
                thumbW = w;
                thumbH = h;
            } else {
                // shrink until the box is covered, then crop the overhang where the alignment says
                boolean widthBinds = (double) w / sw >= (double) h / sh;
                thumbW = widthBinds ? w : Vips.MAX_COORD;
                thumbH = widthBinds ? Vips.MAX_COORD : h;
                coverW = w;
                coverH = h;
            }
        }
        return new Pipeline(crop, options.trim(), thumbW, thumbH, fit, noUpscale, options.smart() && fit == Fit.COVER,
                options.flipHorizontal(), options.flipVertical(), options.fill(), options.blur(), options.grayscale(),
                suffix(format, options.quality(), options.stripExif(), avifEffort), !format.alpha(),
                coverW, coverH, boxW, boxH, halign(options.halign()), valign(options.valign()),
                options.shift() == null ? 0 : options.shift().x(), options.shift() == null ? 0 : options.shift().y(),
                options.shift() != null && options.shift().focal());
    }

    /** libvips' save suffix, e.g. {@code .webp[Q=80,strip]}. */
    static String suffix(OutputFormat format, int quality, boolean strip, int avifEffort) {
        StringBuilder s = new StringBuilder(format.suffix()).append('[');
        if (format == OutputFormat.PNG) {
            s.append("compression=6");
        } else {
            s.append("Q=").append(quality);
        }
        if (format == OutputFormat.AVIF) {
            s.append(",effort=").append(avifEffort);
        }
        if (strip) {
            s.append(",strip");
        }
        return s.append(']').toString();
    }

    private static Align halign(ImageOptions.HAlign a) {
        return switch (a) {
            case LEFT -> Align.START;
            case CENTER -> Align.CENTRE;
            case RIGHT -> Align.END;
        };
    }

    private static Align valign(ImageOptions.VAlign a) {
        return switch (a) {
            case TOP -> Align.START;
            case MIDDLE -> Align.CENTRE;
            case BOTTOM -> Align.END;
        };
    }
}
