package io.stowage.image.url;

import io.stowage.image.url.ImageOptions.Crop;
import io.stowage.image.url.ImageOptions.Fit;
import io.stowage.image.url.ImageOptions.HAlign;
import io.stowage.image.url.ImageOptions.VAlign;
import io.stowage.names.InvalidNameException;
import io.stowage.names.NameRules;
import io.stowage.names.RequestPaths;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thumbor's URL syntax, parsed without side effects:
 * {@code {signature|unsafe}/[trim/][AxB:CxD/][fit-in/][-]WxH/[halign/valign/][smart/][filters:NAME(ARGS):...]/{bucket}/{path}}.
 * Every part is optional but the signature and the object; they must come in this order.
 */
public final class ThumborUrl {

    private static final Pattern CROP = Pattern.compile("(\\d+)x(\\d+):(\\d+)x(\\d+)");
    private static final Pattern SIZE = Pattern.compile("(-)?(\\d*)x(-)?(\\d*)");
    private static final Pattern FILTER = Pattern.compile("([a-z_]+)\\(([^()]*)\\)");
    private static final Pattern HEX = Pattern.compile("#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})");

    private ThumborUrl() {
    }

    /**
     * Parses the path after {@code /img/}, still percent-encoded as it arrived.
     *
     * @param maxDimension the largest width or height a URL may ask for
     */
    public static ImageRequest parse(String rawPath, int maxDimension) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        int slash = path.indexOf('/');
        if (slash <= 0) {
            throw new InvalidImageUrl("expected /img/{signature|unsafe}/.../{bucket}/{path}");
        }
        String signature = path.substring(0, slash);
        String signedPath = path.substring(slash + 1);
        String[] parts = signedPath.split("/", -1);
        int i = 0;
        boolean trim = false;
        Crop crop = null;
        Fit fit = Fit.COVER;
        int width = 0;
        int height = 0;
        boolean flipH = false;
        boolean flipV = false;
        HAlign halign = HAlign.CENTER;
        VAlign valign = VAlign.MIDDLE;
        boolean smart = false;
        Filters filters = new Filters();

        if (i < parts.length && (parts[i].equals("trim") || parts[i].startsWith("trim:"))) {
            trim = true;
            i++;
        }
        Matcher m;
        if (i < parts.length && (m = CROP.matcher(parts[i])).matches()) {
            int left = coordinate(m.group(1)), top = coordinate(m.group(2));
            int right = coordinate(m.group(3)), bottom = coordinate(m.group(4));
            if (right <= left || bottom <= top) {
                throw new InvalidImageUrl("crop " + parts[i] + " is empty: the second corner must be right of and below the first");
            }
            crop = new Crop(left, top, right, bottom);
            i++;
        }
        if (i < parts.length && parts[i].equals("fit-in")) {
            fit = Fit.INSIDE;
            i++;
        }
        if (i < parts.length && (m = SIZE.matcher(parts[i])).matches()) {
            flipH = m.group(1) != null;
            width = dimension(m.group(2), maxDimension);
            flipV = m.group(3) != null;
            height = dimension(m.group(4), maxDimension);
            i++;
        }
        if (i < parts.length && (parts[i].equals("left") || parts[i].equals("center") || parts[i].equals("right"))) {
            halign = HAlign.valueOf(parts[i].toUpperCase(Locale.ROOT));
            i++;
        }
        if (i < parts.length && (parts[i].equals("top") || parts[i].equals("middle") || parts[i].equals("bottom"))) {
            valign = VAlign.valueOf(parts[i].toUpperCase(Locale.ROOT));
            i++;
        }
        if (i < parts.length && parts[i].equals("smart")) {
            smart = true;
            i++;
        }
        if (i < parts.length && parts[i].startsWith("filters:")) {
            filters.parse(parts[i].substring("filters:".length()));
            i++;
        }
        String[] object = object(parts, i);
        ImageOptions options = new ImageOptions(trim, crop, fit, width, height, flipH, flipV, halign, valign, smart,
                filters.quality, filters.format, filters.noUpscale, filters.fill, filters.blur, filters.grayscale, filters.stripExif);
        return new ImageRequest(signature, signedPath, object[0], object[1], options);
    }

    /**
     * Parses a bare {@code {bucket}/{path}}, still percent-encoded: {bucket, name}, decoded strictly and
     * checked against Stowage's naming rules ({@link InvalidNameException} otherwise).
     */
    public static String[] objectPath(String rawPath) {
        return object(rawPath.split("/", -1), 0);
    }

    private static String[] object(String[] parts, int from) {
        if (parts.length - from < 2) {
            throw new InvalidImageUrl("expected {bucket}/{path} after the options");
        }
        if (parts[from].isEmpty()) {
            throw new InvalidImageUrl("the bucket is empty");
        }
        String bucket = NameRules.requireBucket(RequestPaths.decode(parts[from], InvalidNameException.BUCKET));
        List<String> name = new ArrayList<>();
        for (int j = from + 1; j < parts.length; j++) {
            if (parts[j].isEmpty()) {
                throw new InvalidImageUrl("the object path has an empty segment");
            }
            name.add(RequestPaths.decode(parts[j], InvalidNameException.OBJECT));
        }
        return new String[] {bucket, NameRules.requireObject(String.join("/", name))};
    }

    private static int dimension(String digits, int max) {
        if (digits == null || digits.isEmpty()) {
            return 0;
        }
        if (digits.length() > 9 || Integer.parseInt(digits) > max) {
            throw new InvalidImageUrl("width and height may be at most " + max);
        }
        return Integer.parseInt(digits);
    }

    /** A crop corner: a pixel position, which must fit an int (the regex already made it digits). */
    private static int coordinate(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new InvalidImageUrl("crop coordinates must be whole numbers below " + Integer.MAX_VALUE);
        }
    }

    /** Parses a colour: 3 or 6 hex digits (with or without {@code #}) or a few CSS names. */
    static int[] colour(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "white": return new int[] {255, 255, 255};
            case "black": return new int[] {0, 0, 0};
            case "red": return new int[] {255, 0, 0};
            case "green": return new int[] {0, 128, 0};
            case "blue": return new int[] {0, 0, 255};
            default: break;
        }
        Matcher m = HEX.matcher(v);
        if (!m.matches()) {
            throw new InvalidImageUrl("fill takes a colour as hex (ff8800) or a name (white, black, red, green, blue)");
        }
        String hex = m.group(1);
        if (hex.length() == 3) {
            hex = "" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1) + hex.charAt(2) + hex.charAt(2);
        }
        return new int[] {Integer.parseInt(hex.substring(0, 2), 16), Integer.parseInt(hex.substring(2, 4), 16),
                Integer.parseInt(hex.substring(4, 6), 16)};
    }

    /** The {@code filters:} segment, e.g. {@code quality(80):format(webp):fill(white)}. */
    private static final class Filters {
        int quality;
        OutputFormat format;
        boolean noUpscale;
        int[] fill;
        double blur;
        boolean grayscale;
        boolean stripExif;

        void parse(String text) {
            if (text.isEmpty()) {
                throw new InvalidImageUrl("filters: names no filter");
            }
            Matcher m = FILTER.matcher(text);
            int at = 0;
            while (at < text.length()) {
                if (!m.find(at) || m.start() != at) {
                    throw new InvalidImageUrl("filters must look like name(args):name(args), at '" + text.substring(at) + "'");
                }
                apply(m.group(1), m.group(2).trim());
                at = m.end();
                if (at < text.length()) {
                    if (text.charAt(at) != ':') {
                        throw new InvalidImageUrl("filters are separated by ':'");
                    }
                    at++;
                }
            }
        }

        private void apply(String name, String arg) {
            switch (name) {
                case "quality" -> {
                    quality = integer(arg, name);
                    if (quality < 1 || quality > 100) {
                        throw new InvalidImageUrl("quality must be 1..100");
                    }
                }
                case "format" -> {
                    format = OutputFormat.named(arg);
                    if (format == null) {
                        throw new InvalidImageUrl("format must be jpeg, png, webp or avif");
                    }
                }
                case "no_upscale" -> noUpscale = true;
                case "fill" -> fill = colour(arg);
                case "blur" -> {
                    String sigma = arg.contains(",") ? arg.substring(0, arg.indexOf(',')) : arg;
                    try {
                        blur = Double.parseDouble(sigma);
                    } catch (NumberFormatException e) {
                        throw new InvalidImageUrl("blur takes a radius, e.g. blur(5)");
                    }
                    if (!(blur > 0 && blur <= 150)) {
                        throw new InvalidImageUrl("blur must be above 0 and at most 150");
                    }
                }
                case "grayscale" -> grayscale = true;
                case "strip_exif" -> stripExif = true;
                default -> throw new InvalidImageUrl("unknown filter " + name
                        + " (known: quality, format, no_upscale, fill, blur, grayscale, strip_exif)");
            }
        }

        private static int integer(String arg, String name) {
            try {
                return Integer.parseInt(arg);
            } catch (NumberFormatException e) {
                throw new InvalidImageUrl(name + " takes a whole number");
            }
        }
    }
}
