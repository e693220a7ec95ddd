package io.stowage.gateway.client;

import io.stowage.gateway.auth.ServiceToken;
import io.stowage.gateway.config.GatewayConfig;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * upload-service's direct upload as the gateway calls it: the bytes of one object streamed in one
 * PUT (never held), as the caller or, for a signed upload URL, as the gateway on the signer's behalf.
 */
@ApplicationScoped
public class UploadClient {

    public static final String SERVICE = "upload-service";
    /** upload-service's header naming the owner of an upload a Stowage service sends for a user. */
    private static final String ON_BEHALF_OF = "X-Stowage-Owner";
    /** upload-service's header carrying the user metadata, base64 of a JSON object. */
    private static final String USER_METADATA = "X-Stowage-Metadata";

    /**
     * Who an upload is sent as: the caller's own {@code Authorization}, or (authorization null) the
     * gateway's service token with {@code owner} as the owner.
     */
    public record Uploader(String authorization, String owner, boolean createOnly) {

        public static Uploader caller(String authorization, boolean createOnly) {
            return new Uploader(authorization, null, createOnly);
        }

        public static Uploader onBehalfOf(String owner, boolean createOnly) {
            return new Uploader(null, owner, createOnly);
        }
    }

    /** What travels with the bytes: content type, declared length, cache-control, user metadata (JSON text). */
    public record Upload(String contentType, String length, String cacheControl, String metadata) {
    }

    private final Proxy proxy;
    private final GatewayConfig config;
    private final ServiceToken serviceToken;

    public UploadClient(Proxy proxy, GatewayConfig config, ServiceToken serviceToken) {
        this.proxy = proxy;
        this.config = config;
        this.serviceToken = serviceToken;
    }

    /** Streams {@code body} (paused until the request is open) to {@code {bucket}/{path}}; the answer read whole. */
    public Future<Reply> put(String requestId, String bucketAndPath, Uploader as, Upload upload, ReadStream<Buffer> body) {
        Future<String> authorization = as.authorization() != null ? Future.succeededFuture(as.authorization())
                : serviceToken.future();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT)
                .setAbsoluteURI(config.uploadUrl() + "/v1/objects/" + bucketAndPath);
        return authorization.compose(auth -> proxy.watch(SERVICE, proxy.open(SERVICE, options).compose(out -> {
            out.putHeader("Authorization", auth);
            if (as.owner() != null) {
                out.putHeader(ON_BEHALF_OF, as.owner());
            }
            String metadata = upload.metadata();
            if (metadata != null && !metadata.isBlank()) {
                out.putHeader(USER_METADATA, Base64.getEncoder().encodeToString(metadata.getBytes(StandardCharsets.UTF_8)));
            }
            out.putHeader(Proxy.REQUEST_ID, requestId);
            out.putHeader("Content-Type", upload.contentType() == null ? "application/octet-stream" : upload.contentType());
            if (upload.length() != null) {
                out.putHeader("Content-Length", upload.length());
            } else {
                out.setChunked(true);
            }
            if (upload.cacheControl() != null) {
                out.putHeader("Cache-Control", upload.cacheControl());
            }
            if (as.createOnly()) {
                // Supabase's refusal of a taken name is 409 (x-upsert: false), not HTTP's 412 of If-None-Match: *
                out.putHeader("x-upsert", "false");
            }
            Future<HttpClientResponse> sent = out.send(body);
            if (body instanceof io.vertx.core.http.HttpServerRequest request) {
                Proxy.cutWithClient(request, out);
            }
            body.resume();
            return sent;
        }))).compose(response -> response.body().map(b -> new Reply(response.statusCode(), response.getHeader("Content-Type"), b)));
    }
}
