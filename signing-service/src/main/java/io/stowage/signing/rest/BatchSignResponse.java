package io.stowage.signing.rest;

import io.stowage.contract.ErrorBody;

import java.util.List;

/**
 * Answer of {@code POST /v1/sign/batch}: one result per request, in order; each is a
 * {@link SignResponse} or a {@link Failed} for a request that could not be signed.
 */
public record BatchSignResponse(List<Object> results) {

    /** {@code {"error": {"statusCode","error","message"}}} in place of a signature. */
    public record Failed(ErrorBody error) {
    }
}
