package io.stowage.signing.error;

/**
 * Every failure signing-service reports on purpose. The code is the stable machine-readable
 * {@code error} of the contract; the status is the HTTP status it maps to.
 */
public class SigningException extends RuntimeException {

    private final int status;
    private final String code;

    protected SigningException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The request names something the service refuses to sign (400 InvalidRequest). */
    public static final class InvalidRequest extends SigningException {
        public InvalidRequest(String message) {
            super(400, "InvalidRequest", message);
        }
    }

    /** A token that is malformed, tampered with, or signed by an unknown or retired key (401). */
    public static final class InvalidToken extends SigningException {
        public InvalidToken(String message) {
            super(401, "InvalidToken", message);
        }
    }

    /** A well-signed token past its expiry (401). */
    public static final class TokenExpired extends SigningException {
        public TokenExpired(String message) {
            super(401, "TokenExpired", message);
        }
    }

    /** A valid token used for another operation than it grants, e.g. a download token to upload (403). */
    public static final class WrongScope extends SigningException {
        public WrongScope(String message) {
            super(403, "WrongScope", message);
        }
    }

    /** A valid token used for another bucket, object or version than it names (403). */
    public static final class WrongObject extends SigningException {
        public WrongObject(String message) {
            super(403, "WrongObject", message);
        }
    }

    /** An image URL whose HMAC signature does not match its path (403). */
    public static final class InvalidSignature extends SigningException {
        public InvalidSignature(String message) {
            super(403, "InvalidSignature", message);
        }
    }
}
