package io.stowage.metadata.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.stowage.metadata.catalog.CatalogException;
import io.stowage.metadata.catalog.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become the contract's error JSON. Authentication runs lazily
 * ({@code quarkus.http.auth.proactive=false}) so that its failures reach this mapper too.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response catalog(CatalogException e) {
        return body(e.code(), e.getMessage());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(body(ErrorCode.Unauthorized, "a valid bearer token is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(ErrorCode.Forbidden, "this needs the storage-admin or service_role role");
    }

    /* MismatchedInputException is listed so that this wins over Quarkus's built-in mapper for it. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response badJson(JsonProcessingException e) {
        return body(ErrorCode.InvalidRequest, "request body is not valid JSON for this route: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        ErrorCode code = switch (status) {
            case 401 -> ErrorCode.Unauthorized;
            case 403 -> ErrorCode.Forbidden;
            default -> status >= 500 ? ErrorCode.InternalError : ErrorCode.InvalidRequest;
        };
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        return body(status, code, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return body(ErrorCode.InternalError, "internal error");
    }

    private static Response body(ErrorCode code, String message) {
        return body(code.status(), code, message);
    }

    private static Response body(int status, ErrorCode code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, code.name(), message))
                .build();
    }
}
