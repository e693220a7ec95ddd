package io.stowage.image.error;

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
        if (ErrorCode.Overloaded.name().equals(e.error())) {
            response.header("Retry-After", "1");
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            String code = status == 404 ? "ObjectNotFound" : status == 401 ? "Unauthorized" : status == 403 ? "Forbidden" : "InvalidRequest";
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody(status, code, e.getMessage())).build();
        }
        LOG.error("unexpected failure", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(500, "InternalError", "unexpected failure")).build();
    }
}
