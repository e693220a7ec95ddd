package io.stowage.image.client;

import io.stowage.edge.CallBudgets;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * metadata-service's internal lookup of the object a verified image token names. The token grants
 * that one object whoever holds it, so image-service asks as itself: its client-credentials token
 * (client {@code stowage-image}), obtained and renewed by the OIDC client filter. Same base URL and
 * timeouts as {@link MetadataApi} (config key {@code metadata}); deadlines, retries and breakers:
 * {@link CallBudgets}.
 */
@RegisterRestClient(configKey = "metadata")
@OidcClientFilter
@Path("/internal/objects/by-path")
@Produces(MediaType.APPLICATION_JSON)
public interface SignedObjectApi {

    @Retry(maxRetries = CallBudgets.RETRIES, delay = CallBudgets.RETRY_DELAY_MS, jitter = CallBudgets.RETRY_JITTER_MS,
            maxDuration = CallBudgets.RETRY_WITHIN_MS, abortOn = {TimeoutException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = CallBudgets.BREAKER_WINDOW, failureRatio = CallBudgets.BREAKER_FAILURE_RATIO,
            delay = CallBudgets.BREAKER_DELAY_MS)
    @Timeout(CallBudgets.TIMEOUT_MS)
    @GET
    @Path("{bucket}/{name}")
    Uni<Response> object(@Encoded @PathParam("bucket") String bucket, @Encoded @PathParam("name") String name);
}
