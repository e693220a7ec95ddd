package io.stowage.upload.client;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * metadata-service's question "which of these blobs does the catalog reference?", asked by the
 * sweeper before it deletes the blob of an upload whose registration may have landed unanswered.
 * No user is behind a sweep, so upload-service asks as itself: its client-credentials token (role
 * {@code stowage-service}), like towards signing-service; same base URL and timeouts as
 * {@link MetadataApi} (config key {@code metadata}).
 */
@RegisterRestClient(configKey = "metadata")
@OidcClientFilter
@Path("/internal/blobs/referenced")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface BlobReferencesApi {

    @POST
    Uni<Response> referenced(BlobReferences.Request request);
}
