package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * metadata-service's {@code POST /internal/blobs/referenced}: 1..1000 blob keys in, the referenced subset out;
 * and its {@code GET /internal/blobs}: the referenced blobs page by page, each with one object pointing at it.
 */
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

    /** A blob the catalog references and one object (bucket and name) that points at it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Referenced(String blobKey, String bucket, String name) {
    }

    /** One page; {@code next} is where the next page starts, null after the last. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(List<Referenced> blobs, String next) {
    }
}
