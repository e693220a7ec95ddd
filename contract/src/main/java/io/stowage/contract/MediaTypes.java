package io.stowage.contract;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Content types, and how a bucket's list of allowed types ({@code image/png}, {@code image/*},
 * {@code * /*} or {@code *}) admits one: one rule for the gateway's early check, upload-service's checks
 * of what is declared and what arrives, and metadata-service's registration, so that an upload one of
 * them lets through is never refused by another. Case and parameters do not count, and
 * {@code image/jpg} (which browsers and tools still send) is {@code image/jpeg}.
 */
public final class MediaTypes {

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*\"";
    /**
     * RFC 9110's media-type: type/subtype, then {@code ; name=value} parameters whose value is a token or
     * a complete quoted string. Anything looser ({@code text/plain; charset="}) would be refused by S3
     * after the body was sent, so it is refused here first.
     */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+"
            + "(?:[ \\t]*;[ \\t]*(?:" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED + "))?)*[ \\t]*");

    private MediaTypes() {
    }

    public static boolean isValid(String contentType) {
        return contentType != null && MEDIA_TYPE.matcher(contentType).matches();
    }

    /** The bare type: lower case, without parameters such as {@code charset}. */
    public static String essence(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String bare = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return bare.equals("image/jpg") ? "image/jpeg" : bare;
    }

    /** True when the bucket allows any type (no list) or one of its patterns matches. */
    public static boolean allowed(List<String> patterns, String contentType) {
        if (patterns == null || patterns.isEmpty()) {
            return true;
        }
        for (String pattern : patterns) {
            if (matches(pattern, contentType)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one allowed-type pattern admits the content type. */
    public static boolean matches(String pattern, String contentType) {
        String p = essence(pattern);
        String type = essence(contentType);
        if (p == null || type == null) {
            return false;
        }
        return p.equals("*") || p.equals("*/*") || p.equals(type)
                || p.endsWith("/*") && type.startsWith(p.substring(0, p.length() - 1));
    }
}
