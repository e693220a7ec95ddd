package io.stowage.metadata.listing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of one listing page over the current objects of a bucket. Pure: the service runs it
 * through Hibernate Reactive, the catalog benchmark through JDBC, so both measure the same query.
 *
 * <p>Keyset pages seek with {@code (key, id) > (:k, :id)} on an index of (bucket, key, id), so a
 * page at any depth costs one index descent; the offset variant (kept for Supabase's API) scans
 * and discards {@code offset} rows. A prefix is the name range [prefix, successor(prefix)) of the
 * byte-ordered ("C" collation) name index, and search is an ILIKE with its wildcards escaped, served by a
 * trigram index. A non-admin's page of a bucket that is not public, by name, is the union of one ordered index
 * scan per way a row may be readable (public, protected, own, shared with the caller), each stopping after a
 * page; the other sort orders keep the access rule as a filter on their index.
 */
public final class ListingQuery {

    /** Who is asking, for the access filter. */
    public enum Access { EVERYTHING, FILTERED }

    private String bucket;
    private String prefix;
    private String search;
    private String category;
    private String tag;
    private SortKey sort = SortKey.NAME;
    private boolean descending;
    private int limit = 100;
    private Integer offset;
    private Cursor after;
    private boolean filtered;
    private String subject;

    public ListingQuery bucket(String bucket) {
        this.bucket = bucket;
        return this;
    }

    public ListingQuery prefix(String prefix) {
        this.prefix = prefix == null || prefix.isEmpty() ? null : prefix;
        return this;
    }

    public ListingQuery search(String search) {
        this.search = search == null || search.isEmpty() ? null : search;
        return this;
    }

    public ListingQuery category(String category) {
        this.category = category;
        return this;
    }

    public ListingQuery tag(String tag) {
        this.tag = tag;
        return this;
    }

    public ListingQuery sort(SortKey sort, boolean descending) {
        this.sort = sort;
        this.descending = descending;
        return this;
    }

    public ListingQuery limit(int limit) {
        this.limit = limit;
        return this;
    }

    public ListingQuery offset(Integer offset) {
        this.offset = offset;
        return this;
    }

    public ListingQuery after(Cursor after) {
        this.after = after;
        return this;
    }

    /**
     * Restricts rows to those a non-admin caller may read in a non-public bucket.
     *
     * @param subject the caller's user id, or null when anonymous
     */
    public ListingQuery readableBy(String subject) {
        this.filtered = true;
        this.subject = subject;
        return this;
    }

    /** SQL with {@code :name} parameters and their values. */
    public record Sql(String text, Map<String, Object> params) {

        private static final Pattern PARAM = Pattern.compile(":([a-z]+)\\b");

        /** The same query with JDBC {@code ?} placeholders, and the values in their order. */
        public Jdbc jdbc() {
            List<Object> values = new ArrayList<>();
            Matcher m = PARAM.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                values.add(params.get(m.group(1)));
                m.appendReplacement(out, "?");
            }
            m.appendTail(out);
            return new Jdbc(out.toString(), values);
        }
    }

    public record Jdbc(String text, List<Object> values) {
    }

    public Sql build() {
        Map<String, Object> p = new LinkedHashMap<>();
        String where = conditions(p);
        String direction = descending ? " DESC" : " ASC";
        String order = " ORDER BY " + sort.column() + direction + (sort == SortKey.NAME ? "" : ", id" + direction);
        StringBuilder sql = new StringBuilder();
        if (filtered && sort == SortKey.NAME) {
            // one branch per way a row may be readable, each an ordered scan of its own index that stops after a
            // page: a page costs the same however many rows the caller may not read
            List<String> branches = readableBranches(p);
            sql.append("SELECT * FROM (");
            for (int i = 0; i < branches.size(); i++) {
                sql.append(i == 0 ? "" : " UNION ALL ").append("(SELECT * FROM objects WHERE ").append(where)
                        .append(" AND ").append(branches.get(i)).append(order).append(" LIMIT :branchlimit)");
            }
            sql.append(") readable").append(order);
            p.put("branchlimit", limit + (offset == null ? 0 : offset));
        } else {
            sql.append("SELECT * FROM objects WHERE ").append(where);
            if (filtered) {
                sql.append(" AND ").append(readableFilter(p));
            }
            sql.append(order);
        }
        sql.append(" LIMIT :limit");
        p.put("limit", limit);
        if (offset != null) {
            sql.append(" OFFSET :offset");
            p.put("offset", offset);
        }
        return new Sql(sql.toString(), p);
    }

    /** The conditions every row of the page meets, whoever asks: bucket, current, prefix, search, category, tag, position. */
    private String conditions(Map<String, Object> p) {
        StringBuilder sql = new StringBuilder("bucket = :bucket AND deleted_at IS NULL AND NOT delete_marker");
        p.put("bucket", bucket);
        if (prefix != null) {
            sql.append(" AND name >= :prefix");
            p.put("prefix", prefix);
            String end = successor(prefix);
            if (end != null) {
                sql.append(" AND name < :prefixend");
                p.put("prefixend", end);
            }
        }
        if (search != null) {
            // served by the trigram index objects_current_name_trgm
            sql.append(" AND name ILIKE :search ESCAPE '\\'");
            p.put("search", "%" + escapeLike(search) + "%");
        }
        if (category != null) {
            sql.append(" AND category = :category");
            p.put("category", category);
        }
        if (tag != null) {
            sql.append(" AND :tag = ANY (tags)");
            p.put("tag", tag);
        }
        if (after != null) {
            String cmp = descending ? "<" : ">";
            if (sort == SortKey.NAME) {
                // current names are unique in a bucket: the name alone is the position
                sql.append(" AND name ").append(cmp).append(after.inclusive() ? "= " : " ").append(":k");
            } else {
                sql.append(" AND (").append(sort.column()).append(", id) ").append(cmp).append(" (:k, :id)");
                p.put("id", after.id() == null ? new UUID(0, 0) : after.id());
            }
            p.put("k", after.keyValue());
        }
        return sql.toString();
    }

    /**
     * What a non-admin may read in a bucket that is not public, as one condition: anonymous callers the public
     * objects; a signed-in caller also the protected ones, their own, and those shared with them.
     */
    private String readableFilter(Map<String, Object> p) {
        if (subject == null) {
            return "visibility = 'public'";
        }
        p.put("subject", subject);
        return "(visibility IN ('public', 'protected') OR owner = :subject OR (visibility = 'shared' AND :subject = ANY (shared_with)))";
    }

    /**
     * The same rule as {@link #readableFilter} split into conditions no two of which hold for one row, each
     * served in name order by an index: (bucket, visibility, name) for the first two and the shared rows,
     * (bucket, owner, name) for the caller's own.
     */
    private List<String> readableBranches(Map<String, Object> p) {
        if (subject == null) {
            return List.of("visibility = 'public'");
        }
        p.put("subject", subject);
        return List.of("visibility = 'public'", "visibility = 'protected'",
                "owner = :subject AND visibility IN ('private', 'shared')",
                "visibility = 'shared' AND owner <> :subject AND :subject = ANY (shared_with)");
    }

    /** Escapes LIKE's wildcards and its escape character, so a search matches its text literally. */
    public static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /**
     * The least string greater than every string that starts with {@code prefix}, in code point
     * (= UTF-8 byte) order; null when there is none (the prefix is all U+10FFFF).
     */
    public static String successor(String prefix) {
        int[] cps = prefix.codePoints().toArray();
        for (int i = cps.length - 1; i >= 0; i--) {
            int next = cps[i] + 1;
            if (next == 0xD800) {
                next = 0xE000; // surrogates are not characters
            }
            if (next <= Character.MAX_CODE_POINT) {
                cps[i] = next;
                return new String(cps, 0, i + 1);
            }
        }
        return null;
    }

    /** Where a delimiter listing resumes after the common prefix {@code commonPrefix}. */
    public static Cursor afterCommonPrefix(String commonPrefix) {
        String next = successor(commonPrefix);
        return next == null ? null : new Cursor(SortKey.NAME, next, null, true);
    }
}
