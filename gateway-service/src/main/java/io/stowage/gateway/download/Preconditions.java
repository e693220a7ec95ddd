package io.stowage.gateway.download;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The conditional headers of a read, evaluated by the gateway against the catalog's validators of the
 * object (its etag and its {@code updatedAt}, the {@code ETag} and {@code Last-Modified} every read
 * answers with), in RFC 9110's order (§13.2.2): {@code If-Match}, else {@code If-Unmodified-Since} (412
 * when it does not hold); then {@code If-None-Match}, else {@code If-Modified-Since} (304 when the
 * caller's copy is current); then {@code If-Range} (whether a {@code Range} applies). The same answer
 * whether the bytes then come from the gateway's memory or from S3, and S3 is never asked to judge them
 * against the blob's own validators. A header the gateway cannot read is ignored
 * ({@link ConditionalHeaders}).
 */
final class Preconditions {

    /** What the read does. */
    enum Outcome {
        /** serve it; a readable Range applies */
        SERVE,
        /** serve the whole object: an If-Range whose validator no longer holds */
        SERVE_WHOLE,
        /** 304: the caller's copy is current */
        NOT_MODIFIED,
        /** 412: a precondition does not hold */
        FAILED
    }

    private Preconditions() {
    }

    /**
     * @param headers      the request's header by name (null when absent)
     * @param etag         the object's entity tag as answered ({@code "..."}), or null
     * @param lastModified the object's last change, or null
     */
    static Outcome evaluate(UnaryOperator<String> headers, String etag, Instant lastModified) {
        Instant modified = lastModified == null ? null : Instant.ofEpochSecond(lastModified.getEpochSecond());
        String ifMatch = ConditionalHeaders.readable("If-Match", headers.apply("If-Match"));
        if (ifMatch != null) {
            if (!ifMatch.equals("*") && tags(ifMatch).stream().noneMatch(tag -> strongMatch(tag, etag))) {
                return Outcome.FAILED;
            }
        } else {
            Instant since = date(headers.apply("If-Unmodified-Since"));
            if (since != null && modified != null && modified.isAfter(since)) {
                return Outcome.FAILED;
            }
        }
        String ifNoneMatch = ConditionalHeaders.readable("If-None-Match", headers.apply("If-None-Match"));
        if (ifNoneMatch != null) {
            if (ifNoneMatch.equals("*") || tags(ifNoneMatch).stream().anyMatch(tag -> weakMatch(tag, etag))) {
                return Outcome.NOT_MODIFIED;
            }
        } else {
            Instant since = date(headers.apply("If-Modified-Since"));
            if (since != null && modified != null && !modified.isAfter(since)) {
                return Outcome.NOT_MODIFIED;
            }
        }
        String range = headers.apply("Range");
        String ifRange = headers.apply("If-Range");
        if (range == null || ifRange == null) {
            return Outcome.SERVE;
        }
        String validator = ConditionalHeaders.readable("If-Range", ifRange);
        if (validator == null) {
            return Outcome.SERVE_WHOLE;
        }
        if (validator.startsWith("\"") || validator.startsWith("W/")) {
            return strongMatch(validator, etag) ? Outcome.SERVE : Outcome.SERVE_WHOLE;
        }
        Instant at = date(validator);
        return at != null && at.equals(modified) ? Outcome.SERVE : Outcome.SERVE_WHOLE;
    }

    /** The entity tags of a list ({@code "a", W/"b"}); the header is already known to be well formed. */
    static List<String> tags(String list) {
        List<String> tags = new ArrayList<>();
        int i = 0;
        while (i < list.length()) {
            int open = list.indexOf('"', i);
            if (open < 0) {
                break;
            }
            int close = list.indexOf('"', open + 1);
            if (close < 0) {
                break;
            }
            boolean weak = open >= 2 && list.startsWith("W/", open - 2);
            tags.add((weak ? "W/" : "") + list.substring(open, close + 1));
            i = close + 1;
        }
        return tags;
    }

    /** RFC 9110 §8.8.3.2: both strong and the same opaque tag. */
    private static boolean strongMatch(String tag, String etag) {
        return etag != null && !tag.startsWith("W/") && !etag.startsWith("W/") && tag.equals(etag);
    }

    /** Weak comparison: the same opaque tag, whether either is weak or not. */
    private static boolean weakMatch(String tag, String etag) {
        return etag != null && opaque(tag).equals(opaque(etag));
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static Instant date(String value) {
        String readable = ConditionalHeaders.readable("If-Modified-Since", value);
        if (readable == null) {
            return null;
        }
        return ZonedDateTime.parse(readable, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }
}
