package io.stowage.metadata.catalog;

import io.stowage.metadata.error.CatalogException;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code If-Match} request header (RFC 9110 §13.1.1) on a change of one object: {@code *}, or a
 * list of entity tags of which one must name the object. An entity tag names the object when it is
 * the object's ETag (strong comparison: a weak {@code W/} tag never matches) or its version id,
 * quoted or not. Checked under the name's lock, after the access checks, so a caller who may not see
 * the object still gets 404 and never learns its tag.
 *
 * @param any  the header was {@code *}: any current object matches
 * @param tags the listed tags, as sent (quotes and {@code W/} included)
 */
public record IfMatch(boolean any, List<String> tags) {

    /** The header's precondition; null when the request has none. 400 when it lists nothing. */
    public static IfMatch parse(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.equals("*")) {
            return new IfMatch(true, List.of());
        }
        List<String> tags = new ArrayList<>();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            if (value.startsWith("W/\"", i) || c == '"') {
                // a quoted tag may hold commas: it ends at its closing quote
                int close = value.indexOf('"', value.indexOf('"', i) + 1);
                i = close < 0 ? value.length() : close + 1;
            } else {
                while (i < value.length() && value.charAt(i) != ',') {
                    i++;
                }
            }
            tags.add(value.substring(start, i).strip());
        }
        if (tags.isEmpty()) {
            throw CatalogException.invalidRequest("If-Match must be * or a list of entity tags");
        }
        return new IfMatch(false, List.copyOf(tags));
    }

    /** Whether the precondition holds for this row (a live object or a version; null when there is none). */
    public boolean matches(ObjectEntity o) {
        if (o == null || o.deleteMarker) {
            return false;
        }
        if (any) {
            return true;
        }
        for (String tag : tags) {
            if (tag.startsWith("W/")) {
                continue;
            }
            String opaque = unquoted(tag);
            if (opaque.equals(unquoted(o.etag)) || opaque.equals(o.versionId)) {
                return true;
            }
        }
        return false;
    }

    /** Fails with 412 {@code PreconditionFailed} unless the precondition holds; nothing to check when null. */
    static void require(IfMatch ifMatch, ObjectEntity o, String what) {
        if (ifMatch != null && !ifMatch.matches(o)) {
            throw new CatalogException.Precondition(what + " does not match If-Match " + ifMatch.describe());
        }
    }

    private String describe() {
        return any ? "*" : String.join(", ", tags);
    }

    private static String unquoted(String tag) {
        return tag != null && tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
    }
}
