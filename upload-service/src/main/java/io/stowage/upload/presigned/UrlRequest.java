package io.stowage.upload.presigned;

/** A checked request for an upload URL. */
public record UrlRequest(String bucket, String path, String contentType, long size, String visibility) {
}
