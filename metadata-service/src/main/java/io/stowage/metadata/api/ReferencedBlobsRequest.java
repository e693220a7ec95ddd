package io.stowage.metadata.api;

import io.stowage.metadata.error.CatalogException;

import java.util.List;

/** {@code POST /internal/blobs/referenced}: the blob keys upload-service's sweeper wants to delete. */
public record ReferencedBlobsRequest(List<String> blobKeys) {

    public static final int MAX_KEYS = 1000;
    /* S3's own limit on a key's length */
    public static final int MAX_KEY_LENGTH = 1024;

    /** The keys, or 400 {@code InvalidRequest}: 1..1000 non-blank strings of at most 1024 characters. */
    public List<String> validated() {
        if (blobKeys == null || blobKeys.isEmpty() || blobKeys.size() > MAX_KEYS) {
            throw invalid("blobKeys must be a list of 1 to " + MAX_KEYS + " blob keys");
        }
        for (String key : blobKeys) {
            if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
                throw invalid("every blob key must be a non-blank string of at most " + MAX_KEY_LENGTH + " characters");
            }
        }
        return blobKeys;
    }

    private static CatalogException invalid(String message) {
        return CatalogException.invalidRequest(message);
    }
}
