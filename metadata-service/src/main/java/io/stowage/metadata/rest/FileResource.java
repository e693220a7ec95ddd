package io.stowage.metadata.rest;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.catalog.Catalog;
import io.stowage.metadata.catalog.CatalogException;
import io.stowage.metadata.outbox.OutboxRelay;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import java.util.UUID;

/** Files by id: what the gateway serves publicly under {@code /v1/files}. */
@Path("/v1/files")
@Authenticated
public class FileResource {

    private final Catalog catalog;
    private final OutboxRelay relay;
    private final SecurityIdentity identity;

    public FileResource(Catalog catalog, OutboxRelay relay, SecurityIdentity identity) {
        this.catalog = catalog;
        this.relay = relay;
        this.identity = identity;
    }

    @GET
    @Path("{id}")
    public Uni<FileView> get(@PathParam("id") String id) {
        return catalog.readable(Caller.of(identity), fileId(id)).map(FileView::of);
    }

    @DELETE
    @Path("{id}")
    public Uni<FileView> delete(@PathParam("id") String id) {
        return catalog.delete(Caller.of(identity), fileId(id))
                .invoke(relay::nudge)
                .map(FileView::of);
    }

    /** Ids are UUIDs; anything else cannot name a file, and gets the same 404 as a file one may not see. */
    private static UUID fileId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw CatalogException.NotFound.file(id);
        }
    }
}
