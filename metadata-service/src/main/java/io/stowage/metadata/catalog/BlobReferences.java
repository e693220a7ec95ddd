package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The blob reference counts ({@code blobs}), and which blobs the catalog still points at.
 * upload-service's sweeper asks before it deletes the blob
 * of an upload whose registration it never saw confirmed: the registration may have committed and
 * only its answer been lost.
 *
 * <p>{@code blobs.ref_count} is the source of truth: every current object and every kept version of
 * a versioned bucket holds one reference (a copy takes its own, a move keeps it), and the last one
 * going deletes the row. The query also counts object rows that point at the blob (current, or kept,
 * never a delete marker) so that a drifted count can only keep a blob, never lose a live object's bytes.
 */
@ApplicationScoped
public class BlobReferences {

    /* The same key list is bound twice; Hibernate expands it into IN (?, ?, ...) each time. */
    private static final String REFERENCED = """
            SELECT b.blob_key FROM blobs b WHERE b.blob_key IN (:keys) AND b.ref_count > 0
            UNION
            SELECT o.blob_key FROM objects o
             WHERE o.blob_key IN (:keys) AND (o.deleted_at IS NULL OR o.retained) AND NOT o.delete_marker
            """;

    /*
     * The blobs object rows point at (current or kept, never a delete marker), in key order after a key, one row
     * per blob with one object that points at it: the reconciler's walk. DISTINCT ON follows objects_blob_key.
     */
    private static final String PAGE = """
            SELECT DISTINCT ON (o.blob_key) o.blob_key, o.bucket, o.name FROM objects o
             WHERE o.blob_key > :after AND (o.deleted_at IS NULL OR o.retained) AND NOT o.delete_marker
             ORDER BY o.blob_key, o.bucket, o.name
             LIMIT :limit
            """;

    /** A blob the catalog references, and one object (bucket and name) that points at it. */
    public record Referenced(String blobKey, String bucket, String name) {
    }

    /* The count statements return a row on purpose: a native executeUpdate leaves bulk-operation
       clean-up actions that Hibernate Reactive's shared session warns about on close. */
    private static final String RETAIN = """
            INSERT INTO blobs (blob_key, ref_count) VALUES (:key, 1)
            ON CONFLICT (blob_key) DO UPDATE SET ref_count = blobs.ref_count + 1
            RETURNING ref_count
            """;
    private static final String RELEASE = """
            UPDATE blobs SET ref_count = ref_count - 1 WHERE blob_key = :key RETURNING ref_count
            """;
    private static final String DROP = "DELETE FROM blobs WHERE blob_key = :key AND ref_count <= 0 RETURNING blob_key";

    /** Takes one more reference on a blob (a new current object or a copy). */
    static Uni<Long> retain(String blobKey) {
        return Panache.getSession().chain(s -> s.createNativeQuery(RETAIN, Long.class)
                .setParameter("key", blobKey)
                .getSingleResult());
    }

    /** Drops one reference; true when it was the last, so the blob may be deleted from storage. */
    static Uni<Boolean> release(String blobKey) {
        return Panache.getSession().chain(s -> s.createNativeQuery(RELEASE, Long.class)
                        .setParameter("key", blobKey)
                        .getResultList()
                        .chain(left -> {
                            boolean released = left.isEmpty() || left.getFirst() <= 0;
                            if (!released) {
                                return Uni.createFrom().item(false);
                            }
                            return s.createNativeQuery(DROP, String.class)
                                    .setParameter("key", blobKey)
                                    .getResultList()
                                    .replaceWith(true);
                        }));
    }

    /** The given keys the catalog references, in the order given, each once. */
    @WithSession
    public Uni<List<String>> referenced(List<String> blobKeys) {
        Set<String> distinct = new LinkedHashSet<>(blobKeys);
        return Panache.getSession().chain(s -> s.createNativeQuery(REFERENCED, String.class)
                        .setParameter("keys", List.copyOf(distinct))
                        .getResultList())
                .map(found -> {
                    Set<String> referenced = new HashSet<>(found);
                    return distinct.stream().filter(referenced::contains).toList();
                });
    }

    /** Up to {@code limit} referenced blobs whose key sorts after {@code after} ("" from the start), in key order. */
    @WithSession
    public Uni<List<Referenced>> page(String after, int limit) {
        return Panache.getSession().chain(s -> s.createNativeQuery(PAGE, Object[].class)
                        .setParameter("after", after)
                        .setParameter("limit", limit)
                        .getResultList())
                .map(rows -> rows.stream().map(row -> new Referenced((String) row[0], (String) row[1], (String) row[2])).toList());
    }
}
