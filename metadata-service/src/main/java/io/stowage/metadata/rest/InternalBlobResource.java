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
import io.stowage.metadata.api.CatalogBlobsView;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

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

    /** The most blobs one page of {@link #page} answers. */
    static final int MAX_PAGE = 1000;

    /**
     * A page of the blobs the catalog references, in key order after {@code after}: upload-service's reconciler
     * walks them to find rows whose blob S3 no longer holds.
     */
    @GET
    public Uni<CatalogBlobsView> page(@QueryParam("after") @DefaultValue("") String after,
                                      @QueryParam("limit") @DefaultValue("1000") String limit) {
        if (!Caller.isService(identity)) {
            throw new CatalogException.Denied("only a Stowage service (role " + Roles.STOWAGE_SERVICE + ") may list the catalog's blobs");
        }
        int size;
        try {
            size = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw CatalogException.invalidRequest("limit must be a whole number from 1 to " + MAX_PAGE);
        }
        if (size < 1 || size > MAX_PAGE || after.length() > 1024) {
            throw CatalogException.invalidRequest("limit must be from 1 to " + MAX_PAGE + ", after at most 1024 characters");
        }
        return references.page(after, size).map(blobs -> new CatalogBlobsView(blobs,
                blobs.size() < size ? null : blobs.getLast().blobKey()));
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
