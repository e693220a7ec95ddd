package io.stowage.signing.rest;

/**
 * Body of {@code POST /v1/sign} and one item of {@code POST /v1/sign/batch}; field names as in
 * docs/service-contracts.md. Which fields apply depends on {@code operation}:
 * S3 ({@code s3:GetObject|s3:PutObject|s3:UploadPart}): key, contentType, contentLength,
 * checksumSha256, responseContentType, responseContentDisposition, uploadId, partNumber;
 * tokens ({@code stowage:download|stowage:upload|stowage:image}): bucket, name, versionId, upsert,
 * owner, contentType and contentLength (the last four on {@code stowage:upload} only: the type and exact
 * length the upload is bound to);
 * image URLs ({@code image:url}): path. {@code expiresIn} (seconds) applies to all but image URLs.
 * {@code transform} ({@code stowage:image} only): the rendition the token grants, as the render
 * route's query ({@code width=200&height=200&resize=cover}); it is signed into the token, so whoever
 * holds the link cannot ask for another rendition.
 */
public record SignRequest(String operation,
                          String key,
                          String contentType,
                          Long contentLength,
                          String checksumSha256,
                          Long expiresIn,
                          String responseContentType,
                          String responseContentDisposition,
                          String uploadId,
                          Integer partNumber,
                          String bucket,
                          String name,
                          String versionId,
                          Boolean upsert,
                          String path,
                          String owner,
                          String transform) {
}
