package io.stowage.upload.rest;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stowage.contract.Roles;
import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.reconcile.ReconcileReport;
import io.stowage.upload.reconcile.ReconcileRuns;
import io.stowage.upload.reconcile.Reconciler;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /v1/admin/reconcile}: an administrator (role {@code storage-admin}, or Supabase's service key) runs the
 * reconciler now ({@code POST}, 202 with the running report; a run already going is answered, not doubled) and reads
 * its last report ({@code GET}; 404 before the first run). Anyone else: 403 in the error shape.
 */
@Path("/v1/admin/reconcile")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ReconcileResource {

    private final ReconcileRuns runs;
    private final SecurityIdentity identity;

    public ReconcileResource(ReconcileRuns runs, SecurityIdentity identity) {
        this.runs = runs;
        this.identity = identity;
    }

    @POST
    public Uni<RestResponse<ReconcileReport>> start() {
        requireAdmin();
        return runs.begin(Reconciler.BLOBS).map(start -> {
            if (start.started()) {
                start.finished().subscribe().with(report -> { }, failure -> { });
            }
            return RestResponse.status(RestResponse.Status.ACCEPTED, start.report());
        });
    }

    @GET
    public Uni<ReconcileReport> last() {
        requireAdmin();
        return runs.last().map(report -> report.orElseThrow(
                () -> new UploadException(SharedErrorCode.NotFound, "no reconciliation has run yet: POST /v1/admin/reconcile starts one")));
    }

    private void requireAdmin() {
        if (identity.getRoles().stream().noneMatch(Roles.ADMINS::contains)) {
            throw new UploadException(SharedErrorCode.Forbidden, "only an administrator may reconcile storage");
        }
    }
}
