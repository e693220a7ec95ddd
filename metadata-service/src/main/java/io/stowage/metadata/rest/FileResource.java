package io.stowage.metadata.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.api.DeleteFilesRequest;
import io.stowage.metadata.api.DeleteResultView;
import io.stowage.metadata.api.FileView;
import io.stowage.metadata.api.JobView;
import io.stowage.metadata.api.ListFilesQuery;
import io.stowage.metadata.api.PageView;
import io.stowage.metadata.api.TransferRequest;
import io.stowage.metadata.api.UpdateFileRequest;
import io.stowage.metadata.catalog.Catalog;
import io.stowage.metadata.catalog.IfMatch;
import io.stowage.metadata.catalog.Listing;
import io.stowage.metadata.catalog.Transfer;
import io.stowage.metadata.catalog.Transfers;
import io.stowage.metadata.config.MetadataConfig;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.jobs.Jobs;
import io.stowage.metadata.outbox.OutboxRelay;
import io.stowage.names.NameRules;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Files: what the gateway serves under {@code /v1/files}. Read routes ({@code @PermitAll}) also
 * answer anonymous callers, for public things only; everything else needs a token. HEAD on any
 * GET route answers whether the object exists for the caller (200 or 404) without a body.
 */
@Path("/v1/files")
@Deadline
@Authenticated
public class FileResource {

    private final Catalog catalog;
    private final Transfers transfers;
    private final Listing listing;
    private final Jobs jobs;
    private final OutboxRelay relay;
    private final Callers callers;
    private final MetadataConfig.Catalog limits;

    public FileResource(Catalog catalog, Transfers transfers, Listing listing, Jobs jobs, OutboxRelay relay, Callers callers,
                        MetadataConfig config) {
        this.catalog = catalog;
        this.transfers = transfers;
        this.listing = listing;
        this.jobs = jobs;
        this.relay = relay;
        this.callers = callers;
        this.limits = config.catalog();
    }

    @GET
    @PermitAll
    public Uni<PageView> list(@QueryParam("bucket") String bucket, @QueryParam("prefix") String prefix,
                              @QueryParam("delimiter") String delimiter, @QueryParam("cursor") String cursor,
                              @QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset,
                              @QueryParam("sort") String sort, @QueryParam("order") String order,
                              @QueryParam("search") String search, @QueryParam("category") String category,
                              @QueryParam("tag") String tag) {
        Listing.Request request = new ListFilesQuery(bucket, prefix, delimiter, cursor, limit, offset, sort, order, search,
                category, tag).validated(limits.maxPageSize());
        return callers.current().chain(caller -> listing.list(caller, request)).map(PageView::of);
    }

    @GET
    @Path("{id}")
    @PermitAll
    public Uni<FileView> get(@PathParam("id") String id) {
        UUID uuid = fileId(id);
        return callers.current().chain(caller -> catalog.readable(caller, uuid)).map(FileView::of);
    }

    /** The current object of a name, or {@code versionId}'s version. */
    @GET
    @Path("by-path/{bucket}/{name: .+}")
    @PermitAll
    public Uni<FileView> byPath(@PathParam("bucket") String bucket, @PathParam("name") String name,
                                @QueryParam("versionId") String versionId) {
        NameRules.requireBucket(bucket);
        NameRules.requireObject(name);
        return callers.current().chain(caller -> catalog.readable(caller, bucket, name, versionId)).map(FileView::of);
    }

    /** Every version of the object, newest first, delete markers included. */
    @GET
    @Path("{id}/versions")
    @PermitAll
    public Uni<List<FileView>> versions(@PathParam("id") String id) {
        UUID uuid = fileId(id);
        return callers.current().chain(caller -> catalog.versions(caller, uuid))
                .map(all -> all.stream().map(FileView::of).toList());
    }

    /** Changes metadata in place; with {@code If-Match} only while the object still has that ETag or version id (else 412). */
    @PATCH
    @Path("{id}")
    public Uni<FileView> update(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                                UpdateFileRequest request) {
        UUID uuid = fileId(id);
        if (request == null) {
            throw CatalogException.invalidRequest("a JSON object with the fields to change is required");
        }
        var changes = request.validated(limits.maxMetadataBytes());
        IfMatch precondition = IfMatch.parse(ifMatch);
        return changed(caller -> catalog.update(caller, uuid, changes, precondition)).map(FileView::of);
    }

    /** Deletes the object (or the kept version the id names); with {@code If-Match} only while it still matches (else 412). */
    @DELETE
    @Path("{id}")
    public Uni<FileView> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        UUID uuid = fileId(id);
        IfMatch precondition = IfMatch.parse(ifMatch);
        return changed(caller -> catalog.delete(caller, uuid, precondition)).map(FileView::of);
    }

    @DELETE
    @Path("by-path/{bucket}/{name: .+}")
    public Uni<FileView> deleteByPath(@PathParam("bucket") String bucket, @PathParam("name") String name,
                                      @QueryParam("versionId") String versionId,
                                      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        NameRules.requireBucket(bucket);
        NameRules.requireObject(name);
        IfMatch precondition = IfMatch.parse(ifMatch);
        return changed(caller -> catalog.delete(caller, bucket, name, versionId, precondition)).map(FileView::of);
    }

    /**
     * {@code {bucket, names}}: 200 with what was deleted and what was not; {@code {bucket, prefix}}:
     * 202 with a background job deleting what the caller may delete under the prefix.
     */
    @POST
    @Path("delete")
    public Uni<RestResponse<Object>> deleteMany(DeleteFilesRequest request) {
        if (request == null) {
            throw CatalogException.invalidRequest("a JSON body with bucket and names or prefix is required");
        }
        request.validated();
        if (request.byPrefix()) {
            String prefix = request.checkedPrefix();
            return callers.current().chain(caller -> jobs.startDeletePrefix(caller, request.bucket(), prefix))
                    .map(j -> RestResponse.status(RestResponse.Status.ACCEPTED, JobView.of(j)));
        }
        List<String> names = request.checkedNames();
        return changed(caller -> catalog.deleteMany(caller, request.bucket(), names))
                .map(outcome -> RestResponse.ok(DeleteResultView.of(outcome)));
    }

    /** Moves or renames (same or another bucket) without touching bytes: 200 File at its new place. */
    @POST
    @Path("move")
    public Uni<FileView> move(TransferRequest request) {
        var transfer = transfer(request, true);
        return changed(caller -> transfers.move(caller, transfer)).map(FileView::of);
    }

    /** Copies by reference to the same blob: 201 with the new File, owned by the caller. */
    @POST
    @Path("copy")
    public Uni<RestResponse<FileView>> copy(TransferRequest request) {
        var transfer = transfer(request, false);
        return changed(caller -> transfers.copy(caller, transfer))
                .map(o -> RestResponse.status(RestResponse.Status.CREATED, FileView.of(o)));
    }

    private Transfer transfer(TransferRequest request, boolean move) {
        if (request == null) {
            throw CatalogException.invalidRequest("a JSON body with bucket, name and destinationName is required");
        }
        return request.validated(move, limits.maxMetadataBytes());
    }

    /** Runs a change for the caller and nudges the relay once it committed, so its events go out now. */
    private <T> Uni<T> changed(Function<Caller, Uni<T>> change) {
        return callers.current().chain(change::apply).invoke(relay::nudge);
    }

    /** Ids are UUIDs; anything else cannot name a file, and gets the same 404 as a file one may not see. */
    static UUID fileId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw CatalogException.NotFound.file(id);
        }
    }
}
