package io.stowage.signing.error;

import io.stowage.contract.SharedErrorCode;

/**
 * Every failure signing-service reports on purpose, with its code from the contract's table (the
 * gateway and image-service pass these codes on, so they are shared, not signing-service's own).
 */
public class SigningException extends RuntimeException {

    private final SharedErrorCode code;

    protected SigningException(SharedErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public int status() {
        return code.status();
    }

    public String code() {
        return code.name();
    }

    /** The request names something the service refuses to sign (400 InvalidRequest). */
    public static final class InvalidRequest extends SigningException {
        public InvalidRequest(String message) {
            super(SharedErrorCode.InvalidRequest, message);
        }
    }

    /** A token that is malformed, tampered with, or signed by an unknown or retired key (401). */
    public static final class InvalidToken extends SigningException {
        public InvalidToken(String message) {
            super(SharedErrorCode.InvalidToken, message);
        }
    }

    /** A well-signed token past its expiry (401). */
    public static final class TokenExpired extends SigningException {
        public TokenExpired(String message) {
            super(SharedErrorCode.TokenExpired, message);
        }
    }

    /** A valid token used for another operation than it grants, e.g. a download token to upload (403). */
    public static final class WrongScope extends SigningException {
        public WrongScope(String message) {
            super(SharedErrorCode.WrongScope, message);
        }
    }

    /** A valid token used for another bucket, object or version than it names (403). */
    public static final class WrongObject extends SigningException {
        public WrongObject(String message) {
            super(SharedErrorCode.WrongObject, message);
        }
    }

    /** An image URL whose HMAC signature does not match its path (403). */
    public static final class InvalidSignature extends SigningException {
        public InvalidSignature(String message) {
            super(SharedErrorCode.InvalidSignature, message);
        }
    }
}
