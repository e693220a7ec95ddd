package io.stowage.signing.error;

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
 * ({@code quarkus.http.auth.proactive=false}) so that a missing or bad token reaches this mapper
 * and gets a JSON body instead of an empty 401.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response signing(SigningException e) {
        return body(e.status(), e.code(), e.getMessage());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return body(401, "Unauthorized", "a valid bearer token is required");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(403, "Forbidden", "not allowed");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        // Unreadable JSON and unknown routes arrive here; keep the contract's shape for them too.
        String code = switch (status) {
            case 400 -> "InvalidRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 415 -> "UnsupportedMediaType";
            default -> status >= 500 ? "InternalError" : "InvalidRequest";
        };
        String message = status == 400 ? "the request body is not valid JSON for this route" : e.getMessage();
        return body(status, code, message);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return body(500, "InternalError", "internal error");
    }

    private static Response body(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, code, message))
                .build();
    }
}
