package io.stowage.signing.presign;

import java.time.Duration;

/**
 * A validated request to presign: the core trusts these values.
 *
 * @param contentType                signed into a PUT when present
 * @param contentLength              signed into a PUT or UploadPart when present
 * @param checksumSha256             base64 SHA-256 of the body, signed into a PUT or UploadPart when present
 * @param responseContentType        GET: the Content-Type S3 answers with
 * @param responseContentDisposition GET: the Content-Disposition S3 answers with
 * @param uploadId                   UploadPart: the S3 multipart upload id
 * @param partNumber                 UploadPart: 1..10000
 */
public record PresignCommand(SignOperation operation,
                             String key,
                             String contentType,
                             Long contentLength,
                             String checksumSha256,
                             Duration expiresIn,
                             String responseContentType,
                             String responseContentDisposition,
                             String uploadId,
                             Integer partNumber) {
}
