package io.stowage.signing.rest;

import io.stowage.signing.error.SigningException;

/**
 * What a version id and an owner in a token request may look like. Bucket and object names follow
 * the shared rules of {@link io.stowage.names.NameRules}, as everywhere in Stowage.
 */
final class ObjectNames {

    private ObjectNames() {
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
