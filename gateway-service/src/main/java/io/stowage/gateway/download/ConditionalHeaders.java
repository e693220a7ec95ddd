package io.stowage.gateway.download;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which range and conditional headers of a download are passed on to S3. A header the gateway cannot
 * read is dropped, as RFC 9110 says of an unreadable Range (§14.2) and a date that is not a valid
 * HTTP-date (§13.1.3, §13.1.4): the caller gets the whole object instead of S3's 400.
 */
final class ConditionalHeaders {

    /** One or more byte ranges ({@code 0-99}, {@code 100-}, {@code -500}), numbers that fit in a long. */
    private static final Pattern RANGE = Pattern.compile(
            "bytes=(\\d{1,18}-\\d{0,18}|-\\d{1,18})(\\s*,\\s*(\\d{1,18}-\\d{0,18}|-\\d{1,18}))*");
    /** {@code *} or a list of (weak) entity tags. */
    private static final Pattern ETAGS = Pattern.compile(
            "\\*|(W/)?\"[\\x21\\x23-\\x7E]*\"(\\s*,\\s*(W/)?\"[\\x21\\x23-\\x7E]*\")*");

    private ConditionalHeaders() {
    }

    /** The header's value when it is well formed, else null (not passed on). */
    static String readable(String header, String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        boolean ok = switch (header.toLowerCase(Locale.ROOT)) {
            case "range" -> RANGE.matcher(v).matches() && rangesInOrder(v);
            case "if-none-match", "if-match" -> ETAGS.matcher(v).matches();
            case "if-modified-since", "if-unmodified-since" -> httpDate(v);
            case "if-range" -> httpDate(v) || (ETAGS.matcher(v).matches() && !v.equals("*") && !v.contains(","));
            default -> true;
        };
        return ok ? v : null;
    }

    /** A range whose last byte comes before its first is unreadable (RFC 9110 §14.1.1). */
    private static boolean rangesInOrder(String value) {
        for (String spec : value.substring("bytes=".length()).split(",")) {
            String[] ends = spec.trim().split("-", -1);
            if (!ends[0].isEmpty() && !ends[1].isEmpty() && Long.parseLong(ends[1]) < Long.parseLong(ends[0])) {
                return false;
            }
        }
        return true;
    }

    private static boolean httpDate(String value) {
        try {
            DateTimeFormatter.RFC_1123_DATE_TIME.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
