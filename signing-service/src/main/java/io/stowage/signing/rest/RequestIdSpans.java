package io.stowage.signing.rest;

import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.regex.Pattern;

/**
 * Puts the gateway's {@code X-Request-Id} on the request's server span, so a trace can be found
 * from the id a caller or a log line shows. A no-op while tracing is off.
 */
public class RequestIdSpans {

    public static final String HEADER = "X-Request-Id";
    public static final String SPAN_ATTRIBUTE = "stowage.request_id";
    /** Ids end up in trace backends: only short, plain tokens. */
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @ServerRequestFilter(preMatching = true)
    public void tag(ContainerRequestContext request) {
        String id = request.getHeaderString(HEADER);
        if (id != null && ACCEPTABLE.matcher(id).matches()) {
            Span.current().setAttribute(SPAN_ATTRIBUTE, id);
        }
    }
}
