package io.stowage.metadata.rest;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.api.FileView;
import io.stowage.metadata.api.RegisterObjectRequest;
import io.stowage.metadata.api.WriteCheckRequest;
import io.stowage.metadata.catalog.Catalog;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.outbox.OutboxRelay;
import io.stowage.names.NameRules;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import io.stowage.metadata.config.MetadataConfig;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Routes for the other services, never routed from outside. They still check the caller's token:
 * upload-service forwards the user's.
 */
@Path("/internal/objects")
@Deadline
@Authenticated
public class InternalObjectResource {

    private final Catalog catalog;
    private final OutboxRelay relay;
    private final SecurityIdentity identity;
    private final int maxMetadataBytes;

    public InternalObjectResource(Catalog catalog, OutboxRelay relay, SecurityIdentity identity, MetadataConfig config) {
        this.catalog = catalog;
        this.relay = relay;
        this.identity = identity;
        this.maxMetadataBytes = config.catalog().maxMetadataBytes();
    }

    /**
     * Registers an uploaded blob: 201 the first time, 200 with the same File when the upload id repeats. A
     * taken name is 409, or 412 when the upload said {@code If-None-Match: *} ({@code ifNoneMatch}).
     */
    @POST
    public Uni<RestResponse<FileView>> register(RegisterObjectRequest request) {
        if (request == null) {
            throw CatalogException.invalidRequest("a JSON body describing the upload is required");
        }
        Caller caller = Caller.of(identity);
        request.requireWellFormedOwner();
        return catalog.register(caller, request.validated(maxMetadataBytes, owner(caller, request.owner())))
                // If-None-Match: * that does not hold is HTTP's 412, whether the name was found taken or lost a race
                .onFailure(e -> e instanceof CatalogException.Conflict && request.takenNameIsPreconditionFailure())
                .transform(e -> new CatalogException.Precondition("If-None-Match: * does not hold: " + e.getMessage()))
                .invoke(r -> {
                    if (r.created()) {
                        relay.nudge();
                    }
                })
                .map(r -> RestResponse.status(r.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK,
                        FileView.of(r.object())));
    }

    /**
     * Answers what a registration of {@code name} would answer now (204 when it may be written; 404 no
     * such bucket, 409 taken without overwrite, 403 someone else's, 413 {@code QuotaExceeded} when a new
     * object of {@code size} bytes would not fit the bucket's or the owner's quota), without writing
     * anything: the check before the first byte of an upload.
     */
    @POST
    @Path("write-checks")
    public Uni<RestResponse<Void>> checkWrite(WriteCheckRequest request) {
        if (request == null) {
            throw CatalogException.invalidRequest("a JSON body {bucket, name, overwrite} is required");
        }
        WriteCheckRequest checked = request.validated();
        Caller caller = Caller.of(identity);
        String owner = owner(caller, checked.owner());
        return catalog.checkWrite(caller, checked.bucket(), checked.name(), checked.replaces(), checked.checksName(), owner,
                        checked.bytes())
                .replaceWith(RestResponse.noContent());
    }

    /**
     * Whom the object belongs to. Only a Stowage service may register it for someone else: the
     * gateway redeeming a signed upload token (Supabase's "as super user, with the owner from the
     * token") checked the user's right when the token was signed. Anyone else naming another owner
     * is refused before anything is written; naming itself is the same as naming nobody.
     */
    private String owner(Caller caller, String requested) {
        if (requested == null || requested.equals(caller.subject())) {
            return caller.subject();
        }
        if (Caller.isService(identity)) {
            return requested;
        }
        throw new CatalogException.Denied("only a Stowage service may register an object for another owner");
    }

    /**
     * The name may contain '/', so it takes the rest of the path. Downloads resolve objects here,
     * so it records the access ({@code lastAccessedAt}).
     */
    @GET
    @Path("by-path/{bucket}/{name: .+}")
    public Uni<FileView> byPath(@PathParam("bucket") String bucket, @PathParam("name") String name,
                                @QueryParam("versionId") String versionId) {
        NameRules.requireBucket(bucket);
        NameRules.requireObject(name);
        return catalog.accessed(Caller.of(identity), bucket, name, versionId).map(FileView::of);
    }
}
