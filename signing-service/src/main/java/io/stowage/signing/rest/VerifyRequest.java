package io.stowage.signing.rest;

/**
 * Body of {@code POST /v1/verify}. A token: {@code token, scope} (download|upload|image),
 * {@code bucket, name}, optionally {@code versionId}. An image URL: {@code scope: "image:url"},
 * {@code signature, path}.
 */
public record VerifyRequest(String token, String scope, String bucket, String name, String versionId,
                            String signature, String path) {
}
