package io.stowage.image.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of signing-service's {@code POST /v1/verify}: a URL signature or an image token, the fields of the other left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyRequest(String scope, String signature, String path, String token, String bucket, String name) {

    /** A Thumbor URL signature of {@code path} (everything after the signature segment). */
    static VerifyRequest urlSignature(String signature, String path) {
        return new VerifyRequest("image:url", signature, path, null, null, null);
    }

    /** A Stowage image token for the object {@code bucket/name}. */
    static VerifyRequest imageToken(String token, String bucket, String name) {
        return new VerifyRequest("image", null, null, token, bucket, name);
    }
}
