package io.stowage.signing.presign;

import io.stowage.signing.error.SigningException;

/** The S3 operations signing-service presigns, named as in IAM actions. */
public enum SignOperation {
    PUT_OBJECT("s3:PutObject", "PUT"),
    GET_OBJECT("s3:GetObject", "GET");

    private final String action;
    private final String method;

    SignOperation(String action, String method) {
        this.action = action;
        this.method = method;
    }

    public String method() {
        return method;
    }

    public static SignOperation fromAction(String action) {
        for (SignOperation op : values()) {
            if (op.action.equals(action)) {
                return op;
            }
        }
        throw new SigningException.InvalidRequest(
                "operation must be one of s3:PutObject, s3:GetObject (got '" + action + "')");
    }
}
