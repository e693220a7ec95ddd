package io.stowage.upload.tus;

import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.error.UploadException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The tus 1.0.0 headers: their names, and how their values are read strictly (a bad value is a 400). */
public final class TusHeaders {

    public static final String VERSION = "1.0.0";
    public static final String TUS_RESUMABLE = "Tus-Resumable";
    public static final String TUS_VERSION = "Tus-Version";
    public static final String TUS_EXTENSION = "Tus-Extension";
    public static final String TUS_MAX_SIZE = "Tus-Max-Size";
    public static final String TUS_CHECKSUM_ALGORITHM = "Tus-Checksum-Algorithm";
    public static final String UPLOAD_OFFSET = "Upload-Offset";
    public static final String UPLOAD_LENGTH = "Upload-Length";
    public static final String UPLOAD_DEFER_LENGTH = "Upload-Defer-Length";
    public static final String UPLOAD_METADATA = "Upload-Metadata";
    public static final String UPLOAD_EXPIRES = "Upload-Expires";
    public static final String UPLOAD_CHECKSUM = "Upload-Checksum";
    public static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";
    public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    public static final String EXTENSIONS = "creation,creation-with-upload,creation-defer-length,termination,expiration,checksum";
    public static final String CHECKSUM_ALGORITHMS = "sha1,sha256,md5";

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern KEY = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final int MAX_METADATA = 16 * 1024;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private TusHeaders() {
    }

    /** A byte count (Upload-Offset, Upload-Length): digits only, never negative. */
    public static long count(String value, String header) {
        if (value == null || !DIGITS.matcher(value.trim()).matches()) {
            throw new UploadException(SharedErrorCode.InvalidRequest, header + " must be a non-negative number of bytes");
        }
        return Long.parseLong(value.trim());
    }

    /**
     * {@code Upload-Metadata}: comma-separated pairs of a key and its value in base64 (the value may be
     * absent). Keys are unique tokens; values must be UTF-8.
     */
    public static Map<String, String> metadata(String header) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return pairs;
        }
        if (header.length() > MAX_METADATA) {
            throw new UploadException(SharedErrorCode.InvalidRequest, UPLOAD_METADATA + " is too large");
        }
        for (String pair : header.split(",", -1)) {
            String trimmed = pair.trim();
            int space = trimmed.indexOf(' ');
            String key = space < 0 ? trimmed : trimmed.substring(0, space);
            String value = space < 0 ? "" : trimmed.substring(space + 1).trim();
            if (!KEY.matcher(key).matches() || value.contains(" ")) {
                throw new UploadException(SharedErrorCode.InvalidRequest,
                        UPLOAD_METADATA + " must be comma-separated 'key base64value' pairs");
            }
            if (pairs.put(key, decode(key, value)) != null) {
                throw new UploadException(SharedErrorCode.InvalidRequest, UPLOAD_METADATA + " names '" + key + "' twice");
            }
        }
        return pairs;
    }

    private static String decode(String key, String value) {
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new UploadException(SharedErrorCode.InvalidRequest, UPLOAD_METADATA + " value of '" + key
                    + "' is not base64 of UTF-8 text");
        }
    }

    /** {@code Upload-Checksum}: an algorithm this server offers and the base64 of the body's digest. */
    public record Checksum(String algorithm, byte[] digest) {
    }

    public static Checksum checksum(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.trim().split(" ");
        if (parts.length != 2) {
            throw new UploadException(SharedErrorCode.InvalidRequest, UPLOAD_CHECKSUM + " must be '<algorithm> <base64 digest>'");
        }
        String algorithm = parts[0].toLowerCase(Locale.ROOT);
        digest(algorithm);
        try {
            return new Checksum(algorithm, Base64.getDecoder().decode(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new UploadException(SharedErrorCode.InvalidRequest, UPLOAD_CHECKSUM + "'s digest is not base64");
        }
    }

    /** A fresh digest of one of the offered algorithms; any other is a 400. */
    public static MessageDigest digest(String algorithm) {
        String name = switch (algorithm) {
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            case "md5" -> "MD5";
            default -> throw new UploadException(SharedErrorCode.InvalidRequest,
                    "checksum algorithm '" + algorithm + "' is not one of " + CHECKSUM_ALGORITHMS);
        };
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " missing from the JDK", e);
        }
    }

    /** {@code Upload-Expires}: an RFC 9110 date. */
    public static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }
}
