package io.stowage.signing.rest;

import io.stowage.signing.error.SigningException;

import java.nio.charset.StandardCharsets;

/** What a bucket, object name and version id in a token request may look like. */
final class ObjectNames {

    private ObjectNames() {
    }

    static String requireBucket(String bucket) {
        if (bucket == null || bucket.isEmpty() || bucket.length() > 255 || bucket.contains("/") || hasControl(bucket)) {
            throw new SigningException.InvalidRequest("bucket must be 1-255 characters without '/' or control characters");
        }
        return bucket;
    }

    /** The object name rules of metadata-service: no empty, '.' or '..' segment, no leading '/', at most 1024 bytes. */
    static String requireName(String name) {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 1024
                || name.startsWith("/") || hasControl(name)) {
            throw new SigningException.InvalidRequest("name must be 1-1024 bytes, not start with '/', without control characters");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new SigningException.InvalidRequest("name must not contain empty, '.' or '..' segments");
            }
        }
        return name;
    }

    static String requireVersion(String versionId) {
        if (versionId != null && (versionId.isEmpty() || versionId.length() > 128 || hasControl(versionId))) {
            throw new SigningException.InvalidRequest("versionId must be 1-128 characters without control characters");
        }
        return versionId;
    }

    /**
     * The user a signed upload is made for: an OIDC {@code sub}, which the gateway names when it
     * asks for the token and upload-service later writes as the object's owner.
     */
    static String requireOwner(String owner) {
        if (owner != null && (owner.isEmpty() || owner.codePointCount(0, owner.length()) > 255
                || owner.codePoints().anyMatch(Character::isISOControl))) {
            throw new SigningException.InvalidRequest("owner must be 1-255 characters without control characters");
        }
        return owner;
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }
}
