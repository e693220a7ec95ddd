package io.stowage.metadata.api;

import io.stowage.metadata.catalog.Listing;
import io.stowage.metadata.listing.Cursor;
import io.stowage.metadata.listing.SortKey;
import io.stowage.names.NameRules;

/**
 * The query of {@code GET /v1/files}: {@code bucket, prefix, delimiter, cursor, limit, offset, sort,
 * order, search, category, tag}, as given (null when absent).
 */
public record ListFilesQuery(String bucket, String prefix, String delimiter, String cursor, Integer limit, Integer offset,
                             String sort, String order, String search, String category, String tag) {

    /** The page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 100;

    /** The checked listing request, or 400: {@code limit} 1 to {@code maxPageSize}, a cursor made for the same sort. */
    public Listing.Request validated(int maxPageSize) {
        NameRules.requireBucket(bucket);
        NameRules.requirePrefix(prefix);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > maxPageSize) {
            throw Details.invalid("limit must be 1-" + maxPageSize);
        }
        SortKey key;
        try {
            key = SortKey.parse(sort);
        } catch (IllegalArgumentException e) {
            throw Details.invalid(e.getMessage());
        }
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw Details.invalid("order must be asc or desc");
        }
        boolean descending = "desc".equals(order);
        if (delimiter != null && (delimiter.isEmpty() || key != SortKey.NAME || descending || offset != null)) {
            throw Details.invalid("delimiter needs a non-empty value, sort=name, order=asc and no offset");
        }
        if (offset != null && (offset < 0 || cursor != null)) {
            throw Details.invalid("offset must be 0 or more, and cannot go with cursor");
        }
        Cursor after = null;
        if (cursor != null) {
            try {
                after = Cursor.decode(cursor, key);
            } catch (IllegalArgumentException e) {
                throw Details.invalid(e.getMessage());
            }
        }
        return new Listing.Request(bucket, prefix, delimiter, search, category, tag, key, descending, size, after, offset);
    }
}
