package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The per-object event sequence ({@code object_sequences}): it survives deletes, so for a
 * {@code {bucket}/{name}} it only grows, and consumers can order a name's events by it.
 */
final class EventSequences {

    /* Returns a row on purpose: a native executeUpdate leaves bulk-operation clean-up actions that
       Hibernate Reactive's shared session warns about on close. */
    private static final String NEXT = """
            INSERT INTO object_sequences (bucket, name, last_sequence) VALUES (:bucket, :name, 1)
            ON CONFLICT (bucket, name) DO UPDATE SET last_sequence = object_sequences.last_sequence + 1
            RETURNING last_sequence
            """;

    private EventSequences() {
    }

    /** The next event sequence number of a (bucket, name); the row lock orders concurrent changes. */
    static Uni<Long> next(String bucket, String name) {
        return Panache.getSession().chain(s -> s.createNativeQuery(NEXT, Long.class)
                .setParameter("bucket", bucket)
                .setParameter("name", name)
                .getSingleResult());
    }
}
