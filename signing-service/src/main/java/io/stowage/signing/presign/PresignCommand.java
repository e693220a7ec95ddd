package io.stowage.signing.presign;

import java.time.Duration;

/**
 * A validated request to presign: the core trusts these values.
 *
 * @param contentType    signed into a PUT when present
 * @param contentLength  signed into a PUT when present
 * @param checksumSha256 base64 SHA-256 of the body, signed into a PUT when present
 */
public record PresignCommand(SignOperation operation,
                             String key,
                             String contentType,
                             Long contentLength,
                             String checksumSha256,
                             Duration expiresIn,
                             String responseContentDisposition) {
}
