package io.stowage.upload.client;

import io.stowage.edge.CallBudgets;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;
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
 * metadata-service's question "which of these blobs does the catalog reference?", asked by the
 * sweeper before it deletes the blob of an upload whose registration may have landed unanswered,
 * and its list of every referenced blob, page by page, which the reconciler walks.
 * No user is behind a sweep, so upload-service asks as itself: its client-credentials token (role
 * {@code stowage-service}), like towards signing-service; same base URL and timeouts as
 * {@link MetadataApi} (config key {@code metadata}); deadlines, retries and breakers: {@link CallBudgets}.
 */
@RegisterRestClient(configKey = "metadata")
@OidcClientFilter
@Path("/internal/blobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
// questions, not changes: each call tried again after a fast failure (each method has its own breaker)
@Retry(maxRetries = CallBudgets.RETRIES, delay = CallBudgets.RETRY_DELAY_MS, jitter = CallBudgets.RETRY_JITTER_MS,
        maxDuration = CallBudgets.RETRY_WITHIN_MS, abortOn = {TimeoutException.class, CircuitBreakerOpenException.class})
@CircuitBreaker(requestVolumeThreshold = CallBudgets.BREAKER_WINDOW, failureRatio = CallBudgets.BREAKER_FAILURE_RATIO,
        delay = CallBudgets.BREAKER_DELAY_MS)
@Timeout(CallBudgets.TIMEOUT_MS)
public interface BlobReferencesApi {

    /** Which of these blobs the catalog references. */
    @POST
    @Path("referenced")
    Uni<Response> referenced(BlobReferences.Request request);

    /** The referenced blobs after {@code after} in key order, at most {@code limit}. */
    @GET
    Uni<Response> page(@QueryParam("after") String after, @QueryParam("limit") int limit);
}
