package io.stowage.gateway.supabase;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /bucket}'s options as storage-js sends them ({@code limit}, {@code offset}, {@code search},
 * {@code sortColumn}, {@code sortOrder}). The catalog filters by search; sorting and paging are done
 * here, over a list that is one row per bucket.
 */
record BucketListing(Integer limit, int offset, String search, String sortColumn, boolean descending) {

    private static final List<String> COLUMNS = List.of("id", "name", "created_at", "updated_at");

    static BucketListing of(HttpServerRequest request) {
        Integer limit = number(request.getParam("limit"), "limit");
        Integer offset = number(request.getParam("offset"), "offset");
        String search = request.getParam("search");
        String column = request.getParam("sortColumn");
        if (column != null && !COLUMNS.contains(column)) {
            throw new IllegalArgumentException("sortColumn must be one of " + String.join(", ", COLUMNS));
        }
        String order = request.getParam("sortOrder");
        if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
            throw new IllegalArgumentException("sortOrder must be asc or desc");
        }
        return new BucketListing(limit, offset == null ? 0 : offset, search == null || search.isEmpty() ? null : search,
                column == null ? "name" : column, order != null && order.toLowerCase(Locale.ROOT).equals("desc"));
    }

    /** Sorts and pages the buckets (already in Supabase's shape). */
    List<JsonObject> apply(List<JsonObject> buckets) {
        Comparator<JsonObject> order = Comparator.comparing(b -> String.valueOf(b.getValue(sortColumn, "")));
        if (descending) {
            order = order.reversed();
        }
        return buckets.stream().sorted(order).skip(offset).limit(limit == null ? Long.MAX_VALUE : limit).toList();
    }

    private static Integer number(String value, String name) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
    }
}
