package io.stowage.signing.rest;

import io.stowage.contract.SharedErrorCode;
import io.stowage.contract.ErrorBody;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.stowage.names.InvalidNameException;
import io.stowage.signing.error.SigningException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/** Signing for other Stowage services only: their token must carry the caller role. */
@Path("/v1/sign")
@RolesAllowed("${stowage.signing.caller-role}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SignResource {

    /** Most a batch may hold, as Supabase's and S3's batch APIs do. */
    static final int MAX_BATCH = 1000;
    private static final Logger LOG = Logger.getLogger(SignResource.class);

    private final Signer signer;
    private final MeterRegistry registry;

    public SignResource(Signer signer, MeterRegistry registry) {
        this.signer = signer;
        this.registry = registry;
    }

    /** One signature is microseconds of CPU: cheap enough for the event loop. */
    @POST
    public Uni<SignResponse> sign(SignRequest request) {
        return Uni.createFrom().item(() -> issued(signer.sign(request), request));
    }

    /** Counts what was signed, by operation, for stowage_signatures_issued_total. */
    private SignResponse issued(SignResponse response, SignRequest request) {
        registry.counter("stowage.signatures.issued", "operation", String.valueOf(request.operation())).increment();
        return response;
    }

    /** A thousand signatures take milliseconds of CPU, so they run on a worker thread, not the event loop. */
    @POST
    @Path("batch")
    public Uni<BatchSignResponse> batch(BatchSignRequest batch) {
        if (batch == null || batch.requests() == null) {
            return Uni.createFrom().failure(new SigningException.InvalidRequest("requests is required"));
        }
        if (batch.requests().isEmpty() || batch.requests().size() > MAX_BATCH) {
            return Uni.createFrom().failure(new SigningException.InvalidRequest(
                    "a batch holds 1 to " + MAX_BATCH + " requests (got " + batch.requests().size() + ")"));
        }
        return Uni.createFrom().item(() -> signAll(batch.requests()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private BatchSignResponse signAll(List<SignRequest> requests) {
        List<Object> results = new ArrayList<>(requests.size());
        for (SignRequest request : requests) {
            try {
                results.add(issued(signer.sign(request), request));
            } catch (SigningException e) {
                results.add(new BatchSignResponse.Failed(new ErrorBody(e.status(), e.code(), e.getMessage())));
            } catch (InvalidNameException e) {
                results.add(new BatchSignResponse.Failed(new ErrorBody(400, e.code(), e.getMessage())));
            } catch (RuntimeException e) {
                LOG.error("signing one request of a batch failed", e);
                results.add(new BatchSignResponse.Failed(ErrorBody.of(SharedErrorCode.InternalError, "internal error")));
            }
        }
        return new BatchSignResponse(results);
    }
}
