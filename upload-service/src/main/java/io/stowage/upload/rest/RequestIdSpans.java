package io.stowage.upload.rest;

import io.opentelemetry.api.trace.Span;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.regex.Pattern;

/**
 * Puts the gateway's {@code X-Request-Id} on the request's server span, so a trace can be found
 * from the id a caller or a log line shows. A Vert.x route filter rather than a REST filter, because
 * the direct upload is a plain Vert.x route. A no-op while tracing is off.
 */
@ApplicationScoped
public class RequestIdSpans {

    public static final String HEADER = "X-Request-Id";
    public static final String SPAN_ATTRIBUTE = "stowage.request_id";
    /** Ids end up in trace backends: only short, plain tokens. */
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void install(@Observes Router router) {
        // Before every application route: routes added without an order (the direct upload) come first
        // otherwise, and that one never hands the request on.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::tag);
    }

    private void tag(RoutingContext ctx) {
        String id = ctx.request().getHeader(HEADER);
        if (id != null && ACCEPTABLE.matcher(id).matches()) {
            Span.current().setAttribute(SPAN_ATTRIBUTE, id);
        }
        ctx.next();
    }
}
