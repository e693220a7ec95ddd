package io.stowage.names;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The naming rules of buckets and objects, the same in every service: what the catalog stores, what
 * upload-service writes and what signing-service signs can never disagree.
 */
public final class NameRules {

    /** 1-63 characters of a-z 0-9 . _ -, starting with a letter or a digit. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public static final int MAX_OBJECT_NAME_BYTES = 1024;

    private NameRules() {
    }

    public static String requireBucket(String name) {
        if (name == null || !BUCKET.matcher(name).matches()) {
            throw new InvalidNameException(InvalidNameException.BUCKET,
                    "bucket name must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or a digit");
        }
        return name;
    }

    /**
     * An object name: 1-1024 bytes of valid UTF-8, no control characters (C0, DEL, C1), no leading
     * '/', no '.' or '..' segment.
     */
    public static String requireObject(String name) {
        if (name == null || name.isEmpty()) {
            throw invalidObject("object name must not be empty");
        }
        int bytes = utf8Length(name);
        if (bytes > MAX_OBJECT_NAME_BYTES) {
            throw invalidObject("object name is " + bytes + " bytes of UTF-8; at most " + MAX_OBJECT_NAME_BYTES + " are allowed");
        }
        int control = firstControl(name);
        if (control >= 0) {
            throw invalidObject("object name must not contain control characters (found " + describe(control) + ")");
        }
        if (name.startsWith("/")) {
            throw invalidObject("object name must not start with '/'");
        }
        if (hasDotSegment(name)) {
            throw invalidObject("object name must not contain '.' or '..' segments");
        }
        return name;
    }

    /** A prefix to list under: may be empty, otherwise follows the object rules but for a trailing '/'. */
    public static String requirePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return prefix;
        }
        requireObject(prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    /** True for C0 controls, DEL and the C1 controls (U+0080 to U+009F). */
    public static boolean isControl(int codePoint) {
        return Character.isISOControl(codePoint);
    }

    /** The first control character of {@code value}, or -1. */
    public static int firstControl(String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (isControl(cp)) {
                return cp;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    public static boolean hasDotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    static String describe(int codePoint) {
        return "U+" + String.format("%04X", codePoint);
    }

    /** Length in UTF-8, refusing strings that are not valid Unicode (lone surrogates). */
    private static int utf8Length(String name) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
            return encoded.remaining();
        } catch (CharacterCodingException e) {
            throw invalidObject("object name must be valid UTF-8");
        }
    }

    private static InvalidNameException invalidObject(String message) {
        return new InvalidNameException(InvalidNameException.OBJECT, message);
    }
}
