package io.stowage.upload.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * metadata-service's routes upload-service calls, with the caller's own token. Answers come back
 * as raw responses: their errors are passed to the caller unchanged.
 */
@RegisterRestClient(configKey = "metadata")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface MetadataApi {

    @GET
    @Path("v1/buckets/{name}")
    Uni<Response> bucket(@PathParam("name") String name, @HeaderParam("Authorization") String authorization);

    @POST
    @Path("internal/objects")
    Uni<Response> registerObject(ObjectRegistration registration, @HeaderParam("Authorization") String authorization);

    @POST
    @Path("internal/objects/write-checks")
    Uni<Response> checkWrite(WriteCheck check, @HeaderParam("Authorization") String authorization);
}
