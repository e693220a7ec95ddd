package io.stowage.metadata.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.metadata.catalog.ObjectDetails;

import java.util.List;

/** {@code PATCH /v1/files/{id}}: absent fields stay; "", [] and {} clear. */
public record UpdateFileRequest(String visibility, List<String> sharedWith, String category, List<String> tags,
                                JsonNode metadata, String cacheControl) {

    public ObjectDetails validated(int maxMetadataBytes) {
        return Details.of(visibility, sharedWith, category, tags, metadata, cacheControl, maxMetadataBytes);
    }
}
