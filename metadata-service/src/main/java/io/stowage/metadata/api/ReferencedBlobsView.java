package io.stowage.metadata.api;

import java.util.List;

/** The answer of {@code POST /internal/blobs/referenced}: the asked keys the catalog still references. */
public record ReferencedBlobsView(List<String> referenced) {
}
