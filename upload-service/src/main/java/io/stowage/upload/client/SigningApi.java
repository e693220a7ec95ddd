package io.stowage.upload.client;

import io.stowage.edge.CallBudgets;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
 * signing-service's presigning route. Only Stowage services may call it, so upload-service sends
 * its own client-credentials token (client {@code stowage-upload}), obtained and renewed by the
 * OIDC client filter, never the user's. Deadlines, retries and breakers: {@link CallBudgets}.
 */
@RegisterRestClient(configKey = "signing")
@OidcClientFilter
@Path("/v1/sign")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface SigningApi {

    /** Presigning computes a URL and changes nothing: tried again after a fast failure. */
    @Retry(maxRetries = CallBudgets.RETRIES, delay = CallBudgets.RETRY_DELAY_MS, jitter = CallBudgets.RETRY_JITTER_MS,
            maxDuration = CallBudgets.RETRY_WITHIN_MS, abortOn = {TimeoutException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = CallBudgets.BREAKER_WINDOW, failureRatio = CallBudgets.BREAKER_FAILURE_RATIO,
            delay = CallBudgets.BREAKER_DELAY_MS)
    @Timeout(CallBudgets.TIMEOUT_MS)
    @POST
    Uni<Response> sign(SignRequest request);

    @Retry(maxRetries = CallBudgets.RETRIES, delay = CallBudgets.RETRY_DELAY_MS, jitter = CallBudgets.RETRY_JITTER_MS,
            maxDuration = CallBudgets.RETRY_WITHIN_MS, abortOn = {TimeoutException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = CallBudgets.BREAKER_WINDOW, failureRatio = CallBudgets.BREAKER_FAILURE_RATIO,
            delay = CallBudgets.BREAKER_DELAY_MS)
    @Timeout(CallBudgets.TIMEOUT_MS)
    @POST
    @Path("/batch")
    Uni<Response> signBatch(SignBatch.Request request);
}
