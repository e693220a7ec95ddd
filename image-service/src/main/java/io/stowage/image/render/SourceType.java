package io.stowage.image.render;

import io.stowage.image.url.OutputFormat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The image formats image-service reads, recognised from the first bytes (never from a name or header). */
public enum SourceType {
    JPEG(OutputFormat.JPEG),
    PNG(OutputFormat.PNG),
    GIF(OutputFormat.PNG),
    WEBP(OutputFormat.WEBP),
    AVIF(OutputFormat.AVIF);

    private final OutputFormat origin;

    SourceType(OutputFormat origin) {
        this.origin = origin;
    }

    /** The output format that keeps "the source format" (GIF becomes PNG: one frame, lossless). */
    public OutputFormat origin() {
        return origin;
    }

    /** The type of the bytes, or null when they are no image this service reads. */
    public static SourceType sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return PNG;
        }
        if (b.length >= 6 && ascii(b, 0, 6).matches("GIF8[79]a")) {
            return GIF;
        }
        if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return WEBP;
        }
        if (b.length >= 12 && ascii(b, 4, 4).equals("ftyp")) {
            String brand = ascii(b, 8, 4);
            if (brand.equals("avif") || brand.equals("avis") || brand.equals("heic") || brand.equals("heix") || brand.equals("mif1")) {
                return AVIF;
            }
        }
        return null;
    }

    /** The type a catalog content type announces, or null when it is not an image type this service reads. */
    public static SourceType ofContentType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "image/jpeg", "image/jpg", "image/pjpeg" -> JPEG;
            case "image/png" -> PNG;
            case "image/gif" -> GIF;
            case "image/webp" -> WEBP;
            case "image/avif", "image/heic", "image/heif" -> AVIF;
            default -> null;
        };
    }

    private static String ascii(byte[] b, int from, int length) {
        return new String(b, from, length, StandardCharsets.ISO_8859_1);
    }
}
