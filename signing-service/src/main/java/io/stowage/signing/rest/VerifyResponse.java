package io.stowage.signing.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Answer of {@code POST /v1/verify}: what the verified token or image URL grants ({@code contentType} and
 * {@code size}: what an upload token binds the upload to, when it does).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyResponse(boolean valid, String scope, String bucket, String name, String versionId,
                             Boolean upsert, String owner, String issuedAt, String expiresAt, String kid,
                             String path, String transform, String contentType, Long size) {
}
