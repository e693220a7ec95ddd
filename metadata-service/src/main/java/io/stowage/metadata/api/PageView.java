package io.stowage.metadata.api;

import io.stowage.metadata.catalog.Page;

import java.util.List;

/** A listing page: {@code nextCursor} is null on the last page (and with offset paging). */
public record PageView(List<FileView> items, List<String> prefixes, String nextCursor) {

    public static PageView of(Page page) {
        return new PageView(page.items().stream().map(FileView::of).toList(), page.prefixes(), page.nextCursor());
    }
}
