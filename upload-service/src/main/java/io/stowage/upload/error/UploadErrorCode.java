package io.stowage.upload.error;

import io.stowage.contract.ErrorCode;

/** upload-service's own error codes; those other services answer too are the contract's {@code SharedErrorCode}. */
public enum UploadErrorCode implements ErrorCode {
    /** tus: a PATCH whose Upload-Offset is not where the upload stands. */
    OffsetMismatch(409),
    /** tus: a request without the protocol version this server speaks. */
    UnsupportedVersion(412),
    /** What landed in S3 is not what the upload declared (size, type, checksum). */
    UploadMismatch(422),
    /** tus: another request is writing the upload. */
    UploadLocked(423),
    /** tus: the body does not match its Upload-Checksum (the checksum extension's status). */
    ChecksumMismatch(460);

    private final int status;

    UploadErrorCode(int status) {
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
