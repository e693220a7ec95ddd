package io.stowage.metadata.error;

import io.stowage.contract.ErrorCode;
import io.stowage.contract.SharedErrorCode;

/**
 * Root of metadata-service's failures. Each subtype carries a stable {@link ErrorCode}; the REST
 * layer turns them into the contract's error JSON in one place.
 */
public abstract sealed class CatalogException extends RuntimeException
        permits CatalogException.InvalidInput, CatalogException.NotFound, CatalogException.Conflict,
                CatalogException.Denied, CatalogException.Gone, CatalogException.Precondition,
                CatalogException.Refused {

    private final ErrorCode code;

    protected CatalogException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** 400 {@code InvalidRequest}: the request is malformed in a way no more specific code names. */
    public static InvalidInput invalidRequest(String message) {
        return new InvalidInput(SharedErrorCode.InvalidRequest, message);
    }

    /** The request itself is wrong: bad names, missing fields, unknown visibility. */
    public static final class InvalidInput extends CatalogException {
        public InvalidInput(ErrorCode code, String message) {
            super(code, message);
        }
    }

    /** The thing does not exist, or the caller may not know that it does. */
    public static final class NotFound extends CatalogException {
        public NotFound(ErrorCode code, String message) {
            super(code, message);
        }

        public static NotFound bucket(String bucket) {
            return new NotFound(SharedErrorCode.BucketNotFound, "bucket '" + bucket + "' not found");
        }

        public static NotFound object(String bucket, String name) {
            return new NotFound(SharedErrorCode.ObjectNotFound, "object '" + name + "' not found in bucket '" + bucket + "'");
        }

        public static NotFound file(String id) {
            return new NotFound(SharedErrorCode.ObjectNotFound, "file '" + id + "' not found");
        }
    }

    /** The name is taken. */
    public static final class Conflict extends CatalogException {
        public Conflict(ErrorCode code, String message) {
            super(code, message);
        }

        public static Conflict object(String bucket, String name) {
            return new Conflict(SharedErrorCode.ObjectAlreadyExists, "object '" + name + "' already exists in bucket '" + bucket + "'");
        }
    }

    /** The caller may see the thing but not do this to it. */
    public static final class Denied extends CatalogException {
        public Denied(String message) {
            super(SharedErrorCode.Forbidden, message);
        }
    }

    /** The upload was registered once and its object has been deleted since. */
    public static final class Gone extends CatalogException {
        public Gone(ErrorCode code, String message) {
            super(code, message);
        }
    }

    /** An ifMatch precondition did not hold. */
    public static final class Precondition extends CatalogException {
        public Precondition(String message) {
            super(SharedErrorCode.PreconditionFailed, message);
        }
    }

    /** The bucket's limits refuse the object (size, type). */
    public static final class Refused extends CatalogException {
        public Refused(ErrorCode code, String message) {
            super(code, message);
        }
    }
}
