package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of signing-service's {@code POST /v1/sign}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignRequest(String operation, String key, String contentType, Long contentLength, Long expiresIn) {

    public static SignRequest putObject(String key, String contentType, long contentLength, long expiresIn) {
        return new SignRequest("s3:PutObject", key, contentType, contentLength, expiresIn);
    }
}
