package io.stowage.metadata.error;

import io.stowage.contract.ErrorCode;
import io.stowage.contract.ErrorBody;
import io.stowage.contract.SharedErrorCode;
import io.stowage.edge.Refusals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.stowage.edge.DependencyUnavailable;
import io.stowage.names.InvalidNameException;
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

    /** A bucket or object name against the naming rules (io.stowage.names), on any route. */
    @ServerExceptionMapper
    public Response invalidName(InvalidNameException e) {
        return body(400, e.code(), e.getMessage());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(body(SharedErrorCode.Unauthorized, "a valid bearer token is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(SharedErrorCode.Forbidden, "this needs the storage-admin or service_role role");
    }

    /* MismatchedInputException is listed so that this wins over Quarkus's built-in mapper for it. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response badJson(JsonProcessingException e) {
        return body(SharedErrorCode.InvalidRequest, Refusals.jsonProblem(e));
    }


    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        // Quarkus REST's own refusals (no such route, wrong method, unreadable body) in the same shape
        ErrorCode code = SharedErrorCode.valueOf(Refusals.code(status));
        if (status >= 500) {
            LOG.error("request failed", e);
            return body(status, code, "internal error");
        }
        return body(status, code, e.getMessage());
    }

    /** PostgreSQL unreachable, hung or full: 503 with Retry-After, the code naming the catalog; never 500. */
    @ServerExceptionMapper
    public Response unavailable(DependencyUnavailable e) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
                .entity(new ErrorBody(e.status(), e.code(), e.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        DependencyUnavailable outage = CatalogOutages.of(e);
        if (outage != null) {
            return unavailable(outage);
        }
        LOG.error("unexpected failure", e);
        return body(SharedErrorCode.InternalError, "internal error");
    }

    private static Response body(ErrorCode code, String message) {
        return body(code.status(), code, message);
    }

    private static Response body(int status, ErrorCode code, String message) {
        return body(status, code.name(), message);
    }

    private static Response body(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, code, message))
                .build();
    }
}
