package io.stowage.gateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Small JSON exchanges with the services (lookups, signatures, catalog calls the gateway composes):
 * bounded in size, so buffered, and made through the upstream's circuit breaker.
 */
@ApplicationScoped
public class ServiceCalls {

    private final Proxy proxy;

    public ServiceCalls(Proxy proxy) {
        this.proxy = proxy;
    }

    /** A service's answer: status, content type and the whole (small) body. */
    public record Reply(int status, String contentType, Buffer body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public JsonObject json() {
            return body.length() == 0 ? new JsonObject() : body.toJsonObject();
        }
    }

    public Future<Reply> call(String service, HttpMethod method, String url, String authorization, String requestId, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url);
        return proxy.watch(service, proxy.open(service, options).compose(request -> {
            if (authorization != null) {
                request.putHeader("Authorization", authorization);
            }
            request.putHeader(Proxy.REQUEST_ID, requestId);
            request.putHeader("Accept", "application/json");
            if (body != null) {
                request.putHeader("Content-Type", "application/json");
                return request.send(body);
            }
            return request.send();
        })).compose(response -> response.body().map(b -> new Reply(response.statusCode(), response.getHeader("Content-Type"), b)));
    }
}
