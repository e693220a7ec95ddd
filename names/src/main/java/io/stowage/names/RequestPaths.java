package io.stowage.names;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How names travel in URLs. A request path is decoded strictly (a malformed escape or bytes that are
 * not UTF-8 are refused, never replaced), checked (no control characters, no '.' or '..' segment,
 * even one spelled {@code %2e%2e} or hidden behind {@code %2F}), and re-encoded segment by segment:
 * the only form of a path a service passes on to the next one.
 */
public final class RequestPaths {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RequestPaths() {
    }

    /**
     * The canonical form of a raw request path: each segment decoded and checked, then re-encoded.
     *
     * @throws InvalidNameException when a segment cannot be decoded or breaks the path rules
     */
    public static String canonicalPath(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new InvalidNameException(InvalidNameException.REQUEST, "the request target must be an absolute path");
        }
        String[] segments = rawPath.split("/", -1);
        StringBuilder canonical = new StringBuilder(rawPath.length() + 8);
        for (int i = 1; i < segments.length; i++) {
            String decoded = decode(segments[i], InvalidNameException.OBJECT);
            int control = NameRules.firstControl(decoded);
            if (control >= 0) {
                throw new InvalidNameException(InvalidNameException.OBJECT,
                        "the path must not contain control characters (found " + NameRules.describe(control) + ")");
            }
            if (NameRules.hasDotSegment(decoded)) {
                throw new InvalidNameException(InvalidNameException.OBJECT, "the path must not contain '.' or '..' segments");
            }
            canonical.append('/').append(encodeSegment(decoded));
        }
        return canonical.toString();
    }

    /**
     * Checks a raw query string: every name and value decodes strictly to UTF-8 without control
     * characters. The query is passed on as it came.
     */
    public static void checkQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&", -1)) {
            String decoded = decode(pair, InvalidNameException.REQUEST);
            int control = NameRules.firstControl(decoded);
            if (control >= 0) {
                throw new InvalidNameException(InvalidNameException.REQUEST,
                        "the query must not contain control characters (found " + NameRules.describe(control) + ")");
            }
        }
    }

    /** Percent-decodes {@code raw} ('+' stays '+'); refuses malformed escapes and invalid UTF-8. */
    public static String decode(String raw, String code) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new InvalidNameException(code, "malformed percent-encoding in the request target");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x100) {
                // the HTTP layer reads the request line byte by byte (ISO-8859-1): a char is a byte sent
                bytes.write(c);
            } else {
                int cp = raw.codePointAt(i);
                byte[] encoded = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidNameException(code, "the request target is not valid UTF-8 once decoded");
        }
    }

    /**
     * Percent-encodes one path segment: the characters RFC 3986 allows in a segment (unreserved,
     * sub-delims, ':' and '@') stay as they are, so an ordinary URL passes unchanged; '/' and
     * everything else is escaped.
     */
    public static String encodeSegment(String decoded) {
        byte[] utf8 = null;
        for (int i = 0; i < decoded.length(); i++) {
            if (!segmentChar(decoded.charAt(i))) {
                utf8 = decoded.getBytes(StandardCharsets.UTF_8);
                break;
            }
        }
        if (utf8 == null) {
            return decoded;
        }
        StringBuilder out = new StringBuilder(utf8.length * 2);
        for (byte b : utf8) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && segmentChar(c)) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    /** Encodes a decoded object path: each '/'-separated segment encoded, the slashes kept. */
    public static String encodePath(String decoded) {
        String[] segments = decoded.split("/", -1);
        StringBuilder out = new StringBuilder(decoded.length() + 8);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(encodeSegment(segments[i]));
        }
        return out.toString();
    }

    private static boolean segmentChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
    }
}
