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
 * Which blobs the catalog still points at. upload-service's sweeper asks before it deletes the blob
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
}
