package io.stowage.metadata.catalog;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The naming rules for buckets and objects, checked at the edge so the catalog can trust its keys. */
public final class Names {

    /** 1-63 chars of a-z 0-9 . _ -, starting with a letter or a digit. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public static final int MAX_OBJECT_NAME_BYTES = 1024;

    private Names() {
    }

    public static String requireBucketName(String name) {
        if (name == null || !BUCKET.matcher(name).matches()) {
            throw new CatalogException.InvalidInput(ErrorCode.InvalidBucketName,
                    "bucket name must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or a digit");
        }
        return name;
    }

    public static String requireObjectName(String name) {
        if (name == null || name.isEmpty()) {
            throw invalidObjectName("object name must not be empty");
        }
        int bytes = utf8Length(name);
        if (bytes > MAX_OBJECT_NAME_BYTES) {
            throw invalidObjectName("object name is " + bytes + " bytes of UTF-8; at most " + MAX_OBJECT_NAME_BYTES + " are allowed");
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (Character.isISOControl(cp)) {
                throw invalidObjectName("object name must not contain control characters (found U+"
                        + String.format("%04X", cp) + ")");
            }
            i += Character.charCount(cp);
        }
        if (name.startsWith("/")) {
            throw invalidObjectName("object name must not start with '/'");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw invalidObjectName("object name must not contain '.' or '..' segments");
            }
        }
        return name;
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
            throw invalidObjectName("object name must be valid UTF-8");
        }
    }

    private static CatalogException invalidObjectName(String message) {
        return new CatalogException.InvalidInput(ErrorCode.InvalidObjectName, message);
    }
}
