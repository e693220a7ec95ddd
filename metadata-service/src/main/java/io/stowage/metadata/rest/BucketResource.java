package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.api.BucketView;
import io.stowage.metadata.api.CreateBucketRequest;
import io.stowage.metadata.api.JobView;
import io.stowage.metadata.api.UpdateBucketRequest;
import io.stowage.metadata.api.UsageView;
import io.stowage.metadata.catalog.Buckets;
import io.stowage.metadata.catalog.Usage;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.jobs.Jobs;
import io.stowage.metadata.outbox.OutboxRelay;
import io.stowage.names.NameRules;
import io.stowage.contract.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/** Buckets: anyone signed in reads them, admins manage them. */
@Path("/v1/buckets")
@Deadline
@Authenticated
public class BucketResource {

    private final Buckets buckets;
    private final Jobs jobs;
    private final SecurityIdentity identity;
    private final OutboxRelay relay;
    private final Usage usage;
    private final boolean ownerQuota;

    public BucketResource(Buckets buckets, Jobs jobs, SecurityIdentity identity, OutboxRelay relay, Usage usage,
                          io.stowage.metadata.config.MetadataConfig config) {
        this.ownerQuota = config.quota().ownerMaxBytes().isPresent() || config.quota().ownerMaxObjects().isPresent();
        this.buckets = buckets;
        this.jobs = jobs;
        this.identity = identity;
        this.relay = relay;
        this.usage = usage;
    }

    @POST
    @RolesAllowed({Roles.STORAGE_ADMIN, Roles.SERVICE_ROLE})
    public Uni<RestResponse<BucketView>> create(CreateBucketRequest request) {
        if (request == null) {
            throw CatalogException.invalidRequest("a JSON body with the bucket's name is required");
        }
        return buckets.create(Caller.of(identity), request.validated())
                .invoke(relay::nudge)
                .map(b -> RestResponse.status(RestResponse.Status.CREATED, view(b)));
    }

    @GET
    public Uni<List<BucketView>> list(@QueryParam("search") String search) {
        return buckets.list(search).map(all -> all.stream().map(this::view).toList());
    }

    @GET
    @Path("{name}")
    public Uni<BucketView> get(@PathParam("name") String name) {
        return buckets.get(NameRules.requireBucket(name)).map(this::view);
    }

    /** {@code {public?, fileSizeLimit?, allowedMimeTypes?, versioned?, maxBytes?, maxObjects?}}; a null limit or quota removes it. */
    @PATCH
    @Path("{name}")
    @RolesAllowed({Roles.STORAGE_ADMIN, Roles.SERVICE_ROLE})
    public Uni<BucketView> update(@PathParam("name") String name, JsonNode body) {
        return buckets.update(Caller.of(identity), NameRules.requireBucket(name), UpdateBucketRequest.changes(body))
                .invoke(relay::nudge).map(this::view);
    }

    /** Deletes an empty bucket; 409 {@code BucketNotEmpty} otherwise. */
    @DELETE
    @Path("{name}")
    @RolesAllowed({Roles.STORAGE_ADMIN, Roles.SERVICE_ROLE})
    public Uni<BucketView> delete(@PathParam("name") String name) {
        return buckets.delete(Caller.of(identity), NameRules.requireBucket(name)).invoke(relay::nudge).map(this::view);
    }

    /** The bucket's usage (bytes and objects stored) and its quota: admins and the bucket's owner; 403 for anyone else. */
    @GET
    @Path("{name}/usage")
    public Uni<UsageView> usage(@PathParam("name") String name) {
        String bucket = NameRules.requireBucket(name);
        Caller caller = Caller.of(identity);
        return buckets.get(bucket)
                .invoke(b -> {
                    if (!caller.admin() && !caller.is(b.owner)) {
                        throw new CatalogException.Denied("only an admin or the bucket's owner may read its usage");
                    }
                })
                .chain(b -> usage.ofBucket(bucket))
                .map(r -> UsageView.ofBucket(bucket, r));
    }

    private BucketView view(io.stowage.metadata.catalog.BucketEntity b) {
        return BucketView.of(b, ownerQuota);
    }

    /** Empties the bucket in the background: 202 with the job; follow it at {@code GET /v1/jobs/{id}}. */
    @POST
    @Path("{name}/empty")
    @RolesAllowed({Roles.STORAGE_ADMIN, Roles.SERVICE_ROLE})
    public Uni<RestResponse<JobView>> empty(@PathParam("name") String name) {
        return jobs.startEmpty(Caller.of(identity), NameRules.requireBucket(name))
                .map(j -> RestResponse.status(RestResponse.Status.ACCEPTED, JobView.of(j)));
    }
}
