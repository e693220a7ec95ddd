package io.stowage.metadata.catalog;

import java.util.List;

/** One listing page: objects, common prefixes (delimiter listings), and where the next page starts. */
public record Page(List<ObjectEntity> items, List<String> prefixes, String nextCursor) {
}
