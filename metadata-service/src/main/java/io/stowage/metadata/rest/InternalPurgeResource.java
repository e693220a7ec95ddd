package io.stowage.metadata.rest;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stowage.events.PurgeNotice;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.api.PurgeRequest;
import io.stowage.metadata.catalog.Purges;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.outbox.OutboxRelay;
import io.stowage.names.NameRules;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * Cache purges, for the gateway's Supabase CDN routes: each is a {@code io.stowage.cache.purged.v1}
 * event on the object events topic (see docs/events.md). Admins only.
 */
@Path("/internal/purges")
@Deadline
@Authenticated
public class InternalPurgeResource {

    private final Purges purges;
    private final OutboxRelay relay;
    private final SecurityIdentity identity;

    public InternalPurgeResource(Purges purges, OutboxRelay relay, SecurityIdentity identity) {
        this.purges = purges;
        this.relay = relay;
        this.identity = identity;
    }

    /** 200 with the notice that was recorded; 403 for anyone but an admin; 404 for a missing bucket or object. */
    @POST
    public Uni<PurgeNotice> purge(PurgeRequest request) {
        if (request == null) {
            throw CatalogException.invalidRequest("a JSON body naming what to purge is required");
        }
        if (request.name() != null && request.bucket() == null) {
            throw CatalogException.invalidRequest("an object name needs its bucket");
        }
        String bucket = request.bucket() == null ? null : NameRules.requireBucket(request.bucket());
        String name = request.name() == null ? null : NameRules.requireObject(request.name());
        return purges.purge(Caller.of(identity), bucket, name, Boolean.TRUE.equals(request.transformations()))
                .invoke(relay::nudge);
    }
}
