package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/** metadata-service's {@code POST /internal/blobs/referenced}: 1..1000 blob keys in, the referenced subset out. */
public final class BlobReferences {

    /** The most keys one call may carry. */
    public static final int MAX_KEYS = 1000;

    private BlobReferences() {
    }

    public record Request(List<String> blobKeys) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Response(List<String> referenced) {
    }
}
