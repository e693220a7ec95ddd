package io.stowage.upload.error;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become the contract's error JSON. Authentication is lazy
 * ({@code quarkus.http.auth.proactive=false}) so that a missing or bad token reaches this mapper.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @ServerExceptionMapper
    public Response upload(UploadException e) {
        Reply reply = reply(e);
        return Response.status(reply.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(reply.body()).build();
    }

    /** An error answer as status and JSON text; also used by the streamed upload route, which is not JAX-RS. */
    public record Reply(int status, String body) {
    }

    public static Reply reply(Throwable failure) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UpstreamRejection rejection) {
            // Passed through unchanged so that the caller sees metadata-service's own error.
            if (rejection.body() != null && !rejection.body().isBlank()) {
                return new Reply(rejection.status(), rejection.body());
            }
            return json(rejection.status(), "UpstreamError", rejection.getMessage());
        }
        if (t instanceof UploadException e) {
            if (e.status() >= 500) {
                LOG.warnf(e, "upload failed: %s", e.getMessage());
            }
            return json(e.status(), e.code().name(), e.getMessage());
        }
        if (t instanceof software.amazon.awssdk.core.exception.SdkException) {
            LOG.warnf(t, "S3 failed: %s", t.getMessage());
            return json(502, ErrorCode.UpstreamUnavailable.name(), "the object store is unavailable");
        }
        LOG.error("unexpected failure", t);
        return json(500, ErrorCode.InternalError.name(), "internal error");
    }

    private static Reply json(int status, String code, String message) {
        try {
            return new Reply(status, JSON.writeValueAsString(new ErrorBody(status, code, message)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return body(401, ErrorCode.Unauthorized.name(), "a valid bearer token is required");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(403, ErrorCode.Forbidden.name(), "not allowed");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return body(status, ErrorCode.InternalError.name(), "internal error");
        }
        // Unreadable JSON, unknown routes and wrong methods arrive here: same shape for them too.
        String code = switch (status) {
            case 401 -> ErrorCode.Unauthorized.name();
            case 403 -> ErrorCode.Forbidden.name();
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 415 -> "UnsupportedMediaType";
            default -> ErrorCode.InvalidRequest.name();
        };
        String message = status == 400 ? "the request body is not valid JSON for this route" : e.getMessage();
        return body(status, code, message);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return body(500, ErrorCode.InternalError.name(), "internal error");
    }

    private static Response body(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, code, message)).build();
    }
}
