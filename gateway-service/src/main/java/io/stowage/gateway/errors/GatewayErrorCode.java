package io.stowage.gateway.errors;

import io.stowage.contract.ErrorCode;

/** The codes only the gateway answers (the shared ones are {@link io.stowage.contract.SharedErrorCode}). */
public enum GatewayErrorCode implements ErrorCode {
    /** An API request body without a Content-Length. */
    LengthRequired(411),
    /** A download's range outside the object. */
    RangeNotSatisfiable(416),
    /** A client IP or caller over its rate limit. */
    TooManyRequests(429),
    /** No Authorization header on a Supabase route that needs one (Supabase answers it as 400). */
    MissingAuthorization(401);

    private final int status;

    GatewayErrorCode(int status) {
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
