package io.stowage.upload.presigned;

/** metadata-service's answer to a registration: 201 for a new object, 200 when registered before. */
public record Registration(int status, String fileJson) {
}
