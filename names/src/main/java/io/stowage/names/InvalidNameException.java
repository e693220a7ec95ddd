package io.stowage.names;

/**
 * A bucket name, object name or request target that breaks the naming rules. {@link #code()} is the
 * error code every service answers it with (400 in Stowage's error shape).
 */
public final class InvalidNameException extends IllegalArgumentException {

    public static final String BUCKET = "InvalidBucketName";
    public static final String OBJECT = "InvalidObjectName";
    public static final String REQUEST = "InvalidRequest";

    private final String code;

    public InvalidNameException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
