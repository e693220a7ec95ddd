package io.stowage.gateway.client;

/**
 * A listing of a bucket's objects as metadata-service pages it: by key, {@code limit} at a time from
 * {@code cursor}, folders apart when {@code folders} (delimiter '/').
 *
 * @param bucket the bucket segment, checked and percent-encoded
 * @param search a substring of the name, or null
 * @param cursor where the previous page ended, or null
 */
public record FileQuery(String bucket, String prefix, String sort, String order, int limit, boolean folders, String search,
                        String cursor) {

    /** The same listing from {@code next} on. */
    public FileQuery from(String next) {
        return new FileQuery(bucket, prefix, sort, order, limit, folders, search, next);
    }

    String queryString() {
        StringBuilder query = new StringBuilder("bucket=").append(bucket)
                .append("&prefix=").append(Encoding.query(prefix)).append("&sort=").append(sort).append("&order=").append(order)
                .append("&limit=").append(limit);
        if (folders) {
            query.append("&delimiter=%2F");
        }
        if (search != null && !search.isEmpty()) {
            query.append("&search=").append(Encoding.query(search));
        }
        if (cursor != null && !cursor.isEmpty()) {
            query.append("&cursor=").append(Encoding.query(cursor));
        }
        return query.toString();
    }
}
