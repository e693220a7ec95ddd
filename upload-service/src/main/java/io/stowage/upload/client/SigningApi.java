package io.stowage.upload.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** signing-service's presigning route, called with the caller's own token. */
@RegisterRestClient(configKey = "signing")
@Path("/v1/sign")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface SigningApi {

    @POST
    Uni<Response> sign(SignRequest request, @HeaderParam("Authorization") String authorization);
}
