package io.stowage.names;

import io.opentelemetry.api.trace.Span;
import io.stowage.contract.RequestIds;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;


/**
 * Puts the gateway's {@code X-Request-Id} on the request's server span in every service, so a trace
 * can be found from the id a caller or a log line shows. A Vert.x route ahead of every application
 * route rather than a REST filter, so plain Vert.x routes (upload-service's direct upload) are tagged
 * too. A no-op while tracing is off.
 */
@ApplicationScoped
public class RequestIdSpans {

    void install(@Observes Router router) {
        // Before every application route: routes added without an order (the direct upload) come first
        // otherwise, and that one never hands the request on.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::tag);
    }

    private void tag(RoutingContext ctx) {
        String id = ctx.request().getHeader(RequestIds.HEADER);
        if (RequestIds.acceptable(id)) {
            Span.current().setAttribute(RequestIds.SPAN_ATTRIBUTE, id);
        }
        ctx.next();
    }
}
