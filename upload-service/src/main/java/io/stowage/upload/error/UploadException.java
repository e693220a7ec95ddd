package io.stowage.upload.error;

import io.stowage.contract.ErrorCode;

/** Every failure upload-service reports on purpose, with its stable code. */
public class UploadException extends RuntimeException {

    private final ErrorCode code;

    public UploadException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public UploadException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }
}
