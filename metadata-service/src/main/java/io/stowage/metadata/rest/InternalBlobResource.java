package io.stowage.metadata.rest;

import io.stowage.contract.Roles;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.api.ReferencedBlobsRequest;
import io.stowage.metadata.api.ReferencedBlobsView;
import io.stowage.metadata.catalog.BlobReferences;
import io.stowage.metadata.error.CatalogException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * Blob questions from Stowage's own services, never routed from outside. Only their
 * client-credentials tokens (role {@code stowage-service}) may ask: what the catalog references
 * says which objects exist across every bucket, which no user or admin token needs to learn here.
 */
@Path("/internal/blobs")
@Deadline
@Authenticated
public class InternalBlobResource {

    private final BlobReferences references;
    private final SecurityIdentity identity;

    public InternalBlobResource(BlobReferences references, SecurityIdentity identity) {
        this.references = references;
        this.identity = identity;
    }

    /** The subset of the given blob keys the catalog references, in the order given. */
    @POST
    @Path("referenced")
    public Uni<ReferencedBlobsView> referenced(ReferencedBlobsRequest request) {
        if (!Caller.isService(identity)) {
            throw new CatalogException.Denied("only a Stowage service (role " + Roles.STOWAGE_SERVICE + ") may ask which blobs are referenced");
        }
        if (request == null) {
            throw CatalogException.invalidRequest("a JSON body {\"blobKeys\": [...]} is required");
        }
        return references.referenced(request.validated()).map(ReferencedBlobsView::new);
    }
}
