package io.stowage.upload.blobs;

/** What S3 says about a stored blob; {@code etag} without its quotes. */
public record BlobHead(long size, String contentType, String etag) {
}
