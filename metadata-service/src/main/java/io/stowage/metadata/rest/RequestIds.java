package io.stowage.metadata.rest;

import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Carries the gateway's {@code X-Request-Id} into every log line of the request (the console format
 * prints {@code %X{requestId}}) and back in the response; a request without one gets a fresh id.
 */
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String MDC_KEY = "requestId";
    public static final String SPAN_ATTRIBUTE = "stowage.request_id";
    /** Ids end up in logs: accept only short, plain tokens. */
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @ServerRequestFilter(preMatching = true)
    public void tag(ContainerRequestContext request) {
        String id = request.getHeaderString(HEADER);
        if (id == null || !ACCEPTABLE.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        request.setProperty(MDC_KEY, id);
        MDC.put(MDC_KEY, id);
        // lets a trace be found from the id a caller or a log line shows (a no-op while tracing is off)
        Span.current().setAttribute(SPAN_ATTRIBUTE, id);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(MDC_KEY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
    }
}
