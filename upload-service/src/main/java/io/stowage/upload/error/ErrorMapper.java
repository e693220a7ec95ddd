package io.stowage.upload.error;

import io.stowage.contract.ErrorBody;
import io.stowage.contract.SharedErrorCode;
import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.Refusals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.stowage.names.InvalidNameException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/**
 * The one place where failures become the contract's error JSON. Authentication is lazy
 * ({@code quarkus.http.auth.proactive=false}) so that a missing or bad token reaches this mapper.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @ServerExceptionMapper
    public Response upload(UploadException e) {
        return response(reply(e));
    }

    /** A dependency outage raised as such (metadata-service or signing-service not answering, or answering 503). */
    @ServerExceptionMapper
    public Response outage(DependencyUnavailable e) {
        return response(reply(e));
    }

    /**
     * An error answer as status, JSON text and, for a dependency outage, the {@code Retry-After} seconds
     * (else null); also used by the streamed upload route, which is not JAX-RS.
     */
    public record Reply(int status, String body, Integer retryAfterSeconds) {
        public Reply(int status, String body) {
            this(status, body, null);
        }
    }

    public static Reply reply(Throwable failure) {
        Throwable t = Outages.unwrap(failure);
        DependencyUnavailable outage = Outages.of(t);
        if (outage != null) {
            // Said as what it is: the dependency is down, not this service; the caller may retry soon.
            LOG.warnf("%s: %s", outage.code(), outage.getMessage());
            if (outage instanceof UpstreamOutage passed && passed.body() != null) {
                return new Reply(outage.status(), passed.body(), outage.retryAfterSeconds());
            }
            Reply body = json(outage.status(), outage.code(), outage.getMessage());
            return new Reply(body.status(), body.body(), outage.retryAfterSeconds());
        }
        if (t instanceof UpstreamRejection rejection) {
            // Passed through unchanged so that the caller sees metadata-service's own error.
            if (rejection.body() != null && !rejection.body().isBlank()) {
                return new Reply(rejection.status(), rejection.body());
            }
            return json(rejection.status(), "UpstreamError", rejection.getMessage());
        }
        if (t instanceof InvalidNameException e) {
            return json(400, e.code(), e.getMessage());
        }
        if (t instanceof UploadException e) {
            if (e.status() >= 500) {
                LOG.warnf(e, "upload failed: %s", e.getMessage());
            }
            return json(e.status(), e.code().name(), e.getMessage());
        }
        if (t instanceof software.amazon.awssdk.core.exception.SdkException) {
            // S3 answered, and refused for a reason that is not the caller's (e.g. credentials, a missing bucket)
            LOG.warnf(t, "S3 refused: %s", t.getMessage());
            return json(502, SharedErrorCode.UpstreamUnavailable.name(), "the object store refused the request");
        }
        LOG.error("unexpected failure", t);
        return json(500, SharedErrorCode.InternalError.name(), "internal error");
    }

    private static Reply json(int status, String code, String message) {
        try {
            return new Reply(status, JSON.writeValueAsString(new ErrorBody(status, code, message)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bucket or object name against the naming rules (io.stowage.names). */
    @ServerExceptionMapper
    public Response invalidName(InvalidNameException e) {
        return body(400, e.code(), e.getMessage());
    }

    /* MismatchedInputException is listed so that this wins over Quarkus's built-in mapper for it. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response badJson(JsonProcessingException e) {
        return body(400, SharedErrorCode.InvalidRequest.name(), Refusals.jsonProblem(e));
    }


    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return body(401, SharedErrorCode.Unauthorized.name(), "a valid bearer token is required");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(403, SharedErrorCode.Forbidden.name(), "not allowed");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return body(status, SharedErrorCode.InternalError.name(), "internal error");
        }
        // Unreadable JSON, unknown routes and wrong methods arrive here: same shape for them too.
        String code = Refusals.code(status);
        return body(status, code, e.getMessage());
    }

    /** Anything else, S3's failures included: an outage is 503 (see {@link #reply}), only the unknown is 500. */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return response(reply(e));
    }

    private static Response response(Reply reply) {
        Response.ResponseBuilder answer = Response.status(reply.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(reply.body());
        if (reply.retryAfterSeconds() != null) {
            answer.header("Retry-After", reply.retryAfterSeconds());
        }
        return answer.build();
    }

    private static Response body(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, code, message)).build();
    }
}
