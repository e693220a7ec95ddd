package io.stowage.signing.images;

import io.stowage.signing.error.SigningException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The signature segment of Thumbor-style image URLs ({@code /img/{signature}/{path}}), computed
 * exactly as Thumbor and libthumbor do: HMAC-SHA1 of the path after the signature segment (no
 * leading slash) with the shared secret, URL-safe base64 with padding. Only paths an application
 * asked this service to sign can be rendered, so nobody can make the image-service render sizes
 * nobody asked for.
 */
public final class ImageUrlSigner {

    private static final int MAX_PATH_LENGTH = 4096;

    private final SecretKeySpec secret;

    public ImageUrlSigner(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalStateException("the image URL secret must be at least 32 bytes");
        }
        this.secret = new SecretKeySpec(secret, "HmacSHA1");
    }

    /** The path as it is signed: without a leading slash, as Thumbor signs it. */
    public static String normalize(String path) {
        if (path == null) {
            throw new SigningException.InvalidRequest("path is required");
        }
        String bare = path.startsWith("/") ? path.substring(1) : path;
        if (bare.isEmpty() || bare.length() > MAX_PATH_LENGTH) {
            throw new SigningException.InvalidRequest("path must be 1 to " + MAX_PATH_LENGTH + " characters");
        }
        if (bare.startsWith("unsafe/")) {
            throw new SigningException.InvalidRequest("path is the part after the signature segment; it must not start with 'unsafe/'");
        }
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new SigningException.InvalidRequest("path must not contain control characters");
            }
        }
        return bare;
    }

    /** The signature segment for {@code path} (normalized first). */
    public String sign(String path) {
        return Base64.getUrlEncoder().encodeToString(hmac(normalize(path)));
    }

    /** Refuses, with InvalidSignature, a signature that is not the one for {@code path}. */
    public void verify(String signature, String path) {
        String normalized = normalize(path);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature == null ? "" : signature);
        } catch (IllegalArgumentException e) {
            throw new SigningException.InvalidSignature("the image URL signature does not match its path");
        }
        // constant time, so the signature cannot be guessed byte by byte
        if (!MessageDigest.isEqual(given, hmac(normalized))) {
            throw new SigningException.InvalidSignature("the image URL signature does not match its path");
        }
    }

    private byte[] hmac(String path) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(secret);
            return mac.doFinal(path.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
