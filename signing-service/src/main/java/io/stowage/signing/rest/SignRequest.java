package io.stowage.signing.rest;

/** Body of {@code POST /v1/sign}, field names as in docs/service-contracts.md. */
public record SignRequest(String operation,
                          String key,
                          String contentType,
                          Long contentLength,
                          String checksumSha256,
                          Long expiresIn,
                          String responseContentDisposition) {
}
