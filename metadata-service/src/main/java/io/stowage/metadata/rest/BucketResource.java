package io.stowage.metadata.rest;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.catalog.Catalog;
import io.stowage.metadata.catalog.CatalogException;
import io.stowage.metadata.catalog.ErrorCode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

@Path("/v1/buckets")
@Authenticated
public class BucketResource {

    private final Catalog catalog;
    private final SecurityIdentity identity;

    public BucketResource(Catalog catalog, SecurityIdentity identity) {
        this.catalog = catalog;
        this.identity = identity;
    }

    @POST
    @RolesAllowed({"storage-admin", "service_role"})
    public Uni<RestResponse<BucketView>> create(CreateBucketRequest request) {
        if (request == null) {
            throw new CatalogException.InvalidInput(ErrorCode.InvalidRequest, "a JSON body with the bucket's name is required");
        }
        return catalog.createBucket(Caller.of(identity), request.validated())
                .map(b -> RestResponse.status(RestResponse.Status.CREATED, BucketView.of(b)));
    }

    @GET
    public Uni<List<BucketView>> list() {
        return catalog.listBuckets().map(all -> all.stream().map(BucketView::of).toList());
    }

    @GET
    @Path("{name}")
    public Uni<BucketView> get(@PathParam("name") String name) {
        return catalog.bucket(name).map(BucketView::of);
    }
}
