package io.stowage.upload.client;

import io.stowage.edge.CallBudgets;
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
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * metadata-service's routes upload-service calls, with the caller's own token. Answers come back
 * as raw responses: their errors are passed to the caller unchanged. Each call has a deadline and a
 * circuit breaker, and the idempotent ones are tried again after a fast failure ({@link CallBudgets});
 * {@link Upstreams} answers a call without an answer (an open breaker included) as an outage.
 */
@RegisterRestClient(configKey = "metadata")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface MetadataApi {

    @Retry(maxRetries = CallBudgets.RETRIES, delay = CallBudgets.RETRY_DELAY_MS, jitter = CallBudgets.RETRY_JITTER_MS,
            maxDuration = CallBudgets.RETRY_WITHIN_MS, abortOn = {TimeoutException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = CallBudgets.BREAKER_WINDOW, failureRatio = CallBudgets.BREAKER_FAILURE_RATIO,
            delay = CallBudgets.BREAKER_DELAY_MS)
    @Timeout(CallBudgets.TIMEOUT_MS)
    @GET
    @Path("v1/buckets/{name}")
    Uni<Response> bucket(@PathParam("name") String name, @HeaderParam("Authorization") String authorization);

    /** Not idempotent (a second try may register twice, or answer 409 to our own first): never retried. */
    @CircuitBreaker(requestVolumeThreshold = CallBudgets.BREAKER_WINDOW, failureRatio = CallBudgets.BREAKER_FAILURE_RATIO,
            delay = CallBudgets.BREAKER_DELAY_MS)
    @Timeout(CallBudgets.TIMEOUT_MS)
    @POST
    @Path("internal/objects")
    Uni<Response> registerObject(ObjectRegistration registration, @HeaderParam("Authorization") String authorization);

    /** Read-only: asks what a registration would answer now. */
    @Retry(maxRetries = CallBudgets.RETRIES, delay = CallBudgets.RETRY_DELAY_MS, jitter = CallBudgets.RETRY_JITTER_MS,
            maxDuration = CallBudgets.RETRY_WITHIN_MS, abortOn = {TimeoutException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = CallBudgets.BREAKER_WINDOW, failureRatio = CallBudgets.BREAKER_FAILURE_RATIO,
            delay = CallBudgets.BREAKER_DELAY_MS)
    @Timeout(CallBudgets.TIMEOUT_MS)
    @POST
    @Path("internal/objects/write-checks")
    Uni<Response> checkWrite(WriteCheck check, @HeaderParam("Authorization") String authorization);
}
