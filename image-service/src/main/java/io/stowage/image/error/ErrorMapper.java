package io.stowage.image.error;

import io.stowage.contract.ErrorBody;
import io.stowage.contract.SharedErrorCode;
import io.stowage.edge.DependencyUnavailable;

import io.stowage.edge.Refusals;

import io.stowage.names.InvalidNameException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where refusals become HTTP: status, error JSON and, when overloaded, Retry-After. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response refused(ImageException e) {
        Response.ResponseBuilder response = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .entity(new ErrorBody(e.status(), e.error(), e.getMessage()));
        if (ImageErrorCode.Overloaded.name().equals(e.error())) {
            response.header("Retry-After", "1");
        }
        return response.build();
    }

    /** S3, metadata-service or signing-service unavailable: 503 with Retry-After, the code naming it. */
    @ServerExceptionMapper
    public Response unavailable(DependencyUnavailable e) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .header("Retry-After", String.valueOf(e.retryAfterSeconds()))
                .entity(new ErrorBody(e.status(), e.code(), e.getMessage())).build();
    }

    /** A bucket or object name in the URL against the naming rules (io.stowage.names). */
    @ServerExceptionMapper
    public Response invalidName(InvalidNameException e) {
        return body(400, e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            // Quarkus REST's own refusals (no such route, wrong method, ...) in the same shape
            int status = web.getResponse().getStatus();
            String code = Refusals.code(status);
            return body(status, code, e.getMessage());
        }
        LOG.error("unexpected failure", e);
        return body(500, SharedErrorCode.InternalError.name(), "unexpected failure");
    }

    private static Response body(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                .entity(new ErrorBody(status, code, message)).build();
    }
}
