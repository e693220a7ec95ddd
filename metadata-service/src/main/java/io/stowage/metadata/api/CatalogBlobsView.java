package io.stowage.metadata.api;

import io.stowage.metadata.catalog.BlobReferences;

import java.util.List;

/**
 * The answer of {@code GET /internal/blobs}: a page of the blobs the catalog references, in key order, each with
 * one object that points at it; {@code next} is the {@code after} of the next page, null after the last.
 */
public record CatalogBlobsView(List<BlobReferences.Referenced> blobs, String next) {
}
