package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEvents;

/**
 * The lock every change to a name takes first: a transaction-scoped advisory lock on
 * {@code {bucket}/{name}}, so concurrent writers of one name queue up in the database until the
 * transaction ends. Preconditions are checked under it, and the name's events get their sequence
 * numbers in commit order.
 */
public final class NameLocks {

    private static final String LOCK =
            "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))) AS locked";

    private NameLocks() {
    }

    /** Serialises writers of one name until the transaction ends. */
    public static Uni<Void> lock(String bucket, String name) {
        return Panache.getSession().chain(s -> s.createNativeQuery(LOCK, Long.class)
                        .setParameter("key", ObjectEvents.key(bucket, name))
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** Both names of a move or copy, in one global order so that crossing transfers cannot deadlock. */
    static Uni<Void> lockBoth(Transfer t) {
        String a = ObjectEvents.key(t.sourceBucket(), t.sourceName());
        String b = ObjectEvents.key(t.destinationBucket(), t.destinationName());
        boolean sourceFirst = a.compareTo(b) <= 0;
        return sourceFirst
                ? lock(t.sourceBucket(), t.sourceName()).chain(() -> lock(t.destinationBucket(), t.destinationName()))
                : lock(t.destinationBucket(), t.destinationName()).chain(() -> lock(t.sourceBucket(), t.sourceName()));
    }
}
