package io.stowage.image.client;

/** What image-service needs of a catalog File: where the blob is and what it claims to be. */
public record StoredObject(String bucket, String name, String blobKey, String contentType, long size, String visibility) {

    public boolean isPublic() {
        return "public".equals(visibility);
    }
}
