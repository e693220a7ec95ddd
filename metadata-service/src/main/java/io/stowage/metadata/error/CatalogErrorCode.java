package io.stowage.metadata.error;

import io.stowage.contract.ErrorCode;

/** metadata-service's own error codes; those other services answer too are the contract's {@code SharedErrorCode}. */
public enum CatalogErrorCode implements ErrorCode {
    /** No bucket-emptying or -deleting job with that id. */
    JobNotFound(404);

    private final int status;

    CatalogErrorCode(int status) {
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
