package io.stowage.upload.presigned;

/** Who is asking: the token's subject, and the Authorization header passed on to other services. */
public record Caller(String subject, String authorization) {
}
