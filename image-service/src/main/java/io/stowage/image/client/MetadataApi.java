package io.stowage.image.client;

import io.stowage.edge.CallBudgets;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
 * metadata-service's object lookups, asked for the caller: anonymously through the catalog's public
 * read route (public things only), or with the caller's own token through the internal route. The
 * bucket and name are passed already encoded ({@code RequestPaths}), from the checked names, never the
 * caller's raw path. Answers come back as raw responses, read by {@link Upstreams}. Deadlines, retries
 * and breakers: {@link CallBudgets}.
 */
@RegisterRestClient(configKey = "metadata")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public interface MetadataApi {

    @Retry(maxRetries = CallBudgets.RETRIES, delay = CallBudgets.RETRY_DELAY_MS, jitter = CallBudgets.RETRY_JITTER_MS,
            maxDuration = CallBudgets.RETRY_WITHIN_MS, abortOn = {TimeoutException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = CallBudgets.BREAKER_WINDOW, failureRatio = CallBudgets.BREAKER_FAILURE_RATIO,
            delay = CallBudgets.BREAKER_DELAY_MS)
    @Timeout(CallBudgets.TIMEOUT_MS)
    @GET
    @Path("v1/files/by-path/{bucket}/{name}")
    Uni<Response> publicObject(@Encoded @PathParam("bucket") String bucket, @Encoded @PathParam("name") String name);

    @Retry(maxRetries = CallBudgets.RETRIES, delay = CallBudgets.RETRY_DELAY_MS, jitter = CallBudgets.RETRY_JITTER_MS,
            maxDuration = CallBudgets.RETRY_WITHIN_MS, abortOn = {TimeoutException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = CallBudgets.BREAKER_WINDOW, failureRatio = CallBudgets.BREAKER_FAILURE_RATIO,
            delay = CallBudgets.BREAKER_DELAY_MS)
    @Timeout(CallBudgets.TIMEOUT_MS)
    @GET
    @Path("internal/objects/by-path/{bucket}/{name}")
    Uni<Response> object(@Encoded @PathParam("bucket") String bucket, @Encoded @PathParam("name") String name,
                         @HeaderParam("Authorization") String authorization);
}
