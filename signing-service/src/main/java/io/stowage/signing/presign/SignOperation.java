package io.stowage.signing.presign;

import java.util.Optional;

/** The S3 operations signing-service presigns, named as in IAM actions. */
public enum SignOperation {
    PUT_OBJECT("s3:PutObject"),
    GET_OBJECT("s3:GetObject"),
    /** One part of an S3 multipart upload: needs the upload id and a part number. */
    UPLOAD_PART("s3:UploadPart");

    private final String action;

    SignOperation(String action) {
        this.action = action;
    }

    public String action() {
        return action;
    }

    public static Optional<SignOperation> fromAction(String action) {
        for (SignOperation op : values()) {
            if (op.action.equals(action)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
