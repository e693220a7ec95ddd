package io.stowage.signing.error;

import io.stowage.contract.SharedErrorCode;
import io.stowage.contract.ErrorCode;
import io.stowage.contract.ErrorBody;
import io.stowage.edge.Refusals;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    /** A bucket or object name against the naming rules (io.stowage.names). */
    @ServerExceptionMapper
    public Response invalidName(InvalidNameException e) {
        return body(400, e.code(), e.getMessage());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return body(SharedErrorCode.Unauthorized, "a valid bearer token is required");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(SharedErrorCode.Forbidden, "not allowed");
    }

    /* MismatchedInputException is listed so that this wins over Quarkus's built-in mapper for it. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response badJson(JsonProcessingException e) {
        return body(SharedErrorCode.InvalidRequest, Refusals.jsonProblem(e));
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
        // Quarkus REST's own refusals (no such route, wrong method, unreadable body) in the same shape
        String code = Refusals.code(status);
        return body(status, code, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return body(SharedErrorCode.InternalError, "internal error");
    }


    private static Response body(ErrorCode code, String message) {
        return body(code.status(), code.name(), message);
    }

    private static Response body(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, code, message))
                .build();
    }
}
