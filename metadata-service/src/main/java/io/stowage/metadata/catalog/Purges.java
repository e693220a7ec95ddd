package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.stowage.events.ObjectEvents;
import io.stowage.events.PurgeNotice;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Cache purges (Supabase's CDN purge routes), recorded as {@link ObjectEvents#PURGED} events:
 * image-service drops the renditions one names and a CDN in front of Stowage can be purged by a
 * consumer.
 */
@ApplicationScoped
public class Purges {

    private static final Logger LOG = Logger.getLogger(Purges.class);

    private final OutboxWriter outbox;

    public Purges(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    /**
     * Records a cache purge. Admins only. One object: its current version must exist (404 otherwise)
     * and the notice is ordered with its other events; a bucket: it must exist; {@code bucket} null:
     * everything.
     */
    @WithTransaction
    public Uni<PurgeNotice> purge(Caller caller, String bucketName, String name, boolean transformations) {
        if (!caller.admin()) {
            return Uni.createFrom().failure(new CatalogException.Denied("only the service role or an admin may purge cached objects"));
        }
        if (bucketName == null) {
            return announce(new PurgeNotice(PurgeNotice.ALL, null, null, null, null, transformations, caller.subject(), 0));
        }
        Uni<PurgeNotice> notice = name == null
                ? BucketEntity.findExisting(bucketName).replaceWith(() ->
                        new PurgeNotice(PurgeNotice.BUCKET, bucketName, null, null, null, transformations, caller.subject(), 0))
                : BucketEntity.findExisting(bucketName).chain(b -> ObjectEntity.findLive(bucketName, name))
                        .onItem().ifNull().failWith(() -> CatalogException.NotFound.object(bucketName, name))
                        .chain(o -> EventSequences.next(bucketName, name).map(sequence -> new PurgeNotice(PurgeNotice.OBJECT,
                                bucketName, name, o.versionId, o.blobKey, transformations, caller.subject(), sequence)));
        return notice.chain(this::announce);
    }

    private Uni<PurgeNotice> announce(PurgeNotice notice) {
        return outbox.append(notice, CatalogTime.now()).replaceWith(notice)
                .invoke(n -> LOG.infof("cache purge of %s (%s) asked by %s", n.key(), n.scope(), n.requestedBy()));
    }
}
