package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of signing-service's {@code POST /v1/sign} (and one entry of {@code /v1/sign/batch}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignRequest(String operation, String key, String contentType, Long contentLength, Long expiresIn,
                          String uploadId, Integer partNumber) {

    public static SignRequest putObject(String key, String contentType, long contentLength, long expiresIn) {
        return new SignRequest("s3:PutObject", key, contentType, contentLength, expiresIn, null, null);
    }

    public static SignRequest uploadPart(String key, String uploadId, int partNumber, long contentLength, long expiresIn) {
        return new SignRequest("s3:UploadPart", key, null, contentLength, expiresIn, uploadId, partNumber);
    }
}
