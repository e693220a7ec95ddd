package io.stowage.image.url;

import java.util.Locale;

/** The encodings image-service writes; {@code suffix} is libvips' save suffix. */
public enum OutputFormat {
    JPEG("image/jpeg", ".jpg", false),
    PNG("image/png", ".png", true),
    WEBP("image/webp", ".webp", true),
    AVIF("image/avif", ".avif", true);

    private final String contentType;
    private final String suffix;
    private final boolean alpha;

    OutputFormat(String contentType, String suffix, boolean alpha) {
        this.contentType = contentType;
        this.suffix = suffix;
        this.alpha = alpha;
    }

    public String contentType() {
        return contentType;
    }

    public String suffix() {
        return suffix;
    }

    /** Whether the format keeps transparency; JPEG does not, so images are flattened first. */
    public boolean alpha() {
        return alpha;
    }

    /** {@code jpeg}, {@code jpg}, {@code png}, {@code webp}, {@code avif}; null for anything else. */
    public static OutputFormat named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg" -> JPEG;
            case "png" -> PNG;
            case "webp" -> WEBP;
            case "avif" -> AVIF;
            default -> null;
        };
    }
}
