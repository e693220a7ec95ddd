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

    @ServerExceptionMapper
    public Response upload(UploadException e) {
        if (e instanceof UpstreamRejection rejection) {
            // Passed through unchanged so that the caller sees metadata-service's own error.
            if (rejection.body() != null && !rejection.body().isBlank()) {
                return Response.status(rejection.status()).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(rejection.body()).build();
            }
            return body(rejection.status(), "UpstreamError", rejection.getMessage());
        }
        if (e.status() >= 500) {
            LOG.warnf(e, "upload failed: %s", e.getMessage());
        }
        return body(e.status(), e.code().name(), e.getMessage());
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
