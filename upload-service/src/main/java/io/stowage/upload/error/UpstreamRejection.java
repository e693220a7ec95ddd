package io.stowage.upload.error;

import io.stowage.contract.SharedErrorCode;

/**
 * Another service refused the request (for example metadata-service's 404 BucketNotFound or 409
 * ObjectAlreadyExists). The caller gets that answer unchanged: same status, same JSON.
 */
public final class UpstreamRejection extends UploadException {

    private final int upstreamStatus;
    private final String body;

    public UpstreamRejection(String service, int upstreamStatus, String body) {
        super(SharedErrorCode.UpstreamUnavailable, service + " answered " + upstreamStatus);
        this.upstreamStatus = upstreamStatus;
        this.body = body;
    }

    @Override
    public int status() {
        return upstreamStatus;
    }

    public String body() {
        return body;
    }
}
