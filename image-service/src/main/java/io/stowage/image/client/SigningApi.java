package io.stowage.image.client;

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
 * signing-service's verification route. Only Stowage services may call it, so image-service sends
 * its own client-credentials token (client {@code stowage-image}), obtained and renewed by the OIDC
 * client filter, never the caller's.
 */
@RegisterRestClient(configKey = "signing")
@OidcClientFilter
@Path("/v1/verify")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface SigningApi {

    @POST
    Uni<Response> verify(VerifyRequest request);
}
