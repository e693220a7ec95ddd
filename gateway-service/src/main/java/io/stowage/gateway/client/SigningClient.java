package io.stowage.gateway.client;

import io.stowage.gateway.auth.ServiceToken;
import io.stowage.gateway.config.GatewayConfig;
import io.stowage.gateway.upstream.ServiceCalls;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * signing-service as the gateway calls it. signing-service serves only Stowage's services, so every
 * call carries the gateway's own service token, attached here; a failure to get that token fails the
 * call as the signing-service's would.
 */
@ApplicationScoped
public class SigningClient {

    public static final String SERVICE = "signing-service";

    private final ServiceCalls calls;
    private final GatewayConfig config;
    private final ServiceToken serviceToken;

    public SigningClient(ServiceCalls calls, GatewayConfig config, ServiceToken serviceToken) {
        this.calls = calls;
        this.config = config;
        this.serviceToken = serviceToken;
    }

    /** Signs {@code request} ({@code operation} and what it names): a presigned URL or a Stowage token. */
    public Future<Reply> sign(String requestId, JsonObject request) {
        return serviceToken.future().compose(gateway -> sign(gateway, requestId, request));
    }

    /**
     * As {@link #sign(String, JsonObject)} with a service token the caller already holds (a download
     * tells a token issuer that is down apart from a signing-service that is).
     */
    public Future<Reply> sign(String gatewayAuthorization, String requestId, JsonObject request) {
        return call("/v1/sign", gatewayAuthorization, requestId, request);
    }

    /** Signs up to 1,000 requests in one call: {@code {"results": [...]}}, one answer or error per request, in order. */
    public Future<Reply> signBatch(String requestId, io.vertx.core.json.JsonArray requests) {
        return serviceToken.future().compose(gateway -> call("/v1/sign/batch", gateway, requestId,
                new JsonObject().put("requests", requests)));
    }

    /** Verifies a Stowage token for a scope, bucket and name; the answer names what it grants. */
    public Future<Reply> verify(String requestId, JsonObject request) {
        return serviceToken.future().compose(gateway -> call("/v1/verify", gateway, requestId, request));
    }

    private Future<Reply> call(String path, String gatewayAuthorization, String requestId, JsonObject body) {
        return calls.call(SERVICE, HttpMethod.POST, config.signingUrl() + path, gatewayAuthorization, requestId, body.toBuffer());
    }
}
