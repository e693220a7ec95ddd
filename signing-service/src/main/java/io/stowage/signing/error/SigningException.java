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
}
