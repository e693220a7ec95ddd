package io.stowage.metadata.rest;

import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.UUID;

/**
 * Carries the gateway's {@code X-Request-Id} into every log line of the request (the console format
 * prints {@code %X{requestId}}) and back in the response; a request without one gets a fresh id.
 */
public class RequestIds {

    private static final String MDC_KEY = "requestId";

    @ServerRequestFilter(preMatching = true)
    public void tag(ContainerRequestContext request) {
        String id = request.getHeaderString(io.stowage.contract.RequestIds.HEADER);
        if (!io.stowage.contract.RequestIds.acceptable(id)) {
            id = UUID.randomUUID().toString();
        }
        request.setProperty(MDC_KEY, id);
        MDC.put(MDC_KEY, id);
        // a fresh id on the span too (names' RequestIdSpans tags the span with an id the caller sent)
        Span.current().setAttribute(io.stowage.contract.RequestIds.SPAN_ATTRIBUTE, id);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(MDC_KEY);
        if (id != null) {
            response.getHeaders().putSingle(io.stowage.contract.RequestIds.HEADER, id);
        }
    }
}
