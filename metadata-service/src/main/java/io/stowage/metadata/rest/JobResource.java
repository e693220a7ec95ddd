package io.stowage.metadata.rest;

import io.stowage.metadata.error.CatalogErrorCode;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.api.JobView;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.jobs.Jobs;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import java.util.UUID;

/** Background jobs' progress, for whoever started them (and admins). */
@Path("/v1/jobs")
@Deadline
@Authenticated
public class JobResource {

    private final Jobs jobs;
    private final SecurityIdentity identity;

    public JobResource(Jobs jobs, SecurityIdentity identity) {
        this.jobs = jobs;
        this.identity = identity;
    }

    @GET
    @Path("{id}")
    public Uni<JobView> get(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new CatalogException.NotFound(CatalogErrorCode.JobNotFound, "job '" + id + "' not found");
        }
        return jobs.job(Caller.of(identity), uuid).map(JobView::of);
    }
}
