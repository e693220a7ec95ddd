package io.stowage.gateway.download;

import io.stowage.gateway.auth.ServiceToken;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.routing.GatewayConfig;
import io.stowage.gateway.routing.Proxy;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Downloads by path: metadata-service says whether the caller may read the object and where its blob
 * is, signing-service presigns a short-lived GET of the blob, and the gateway streams S3's answer
 * (with Range and conditional requests passed through) to the caller. The gateway holds no S3
 * credentials.
 */
@ApplicationScoped
public class Downloads {

    /** Request headers that S3 answers itself: ranges and conditional GETs. */
    private static final List<String> PASSED_TO_S3 = List.of("Range", "If-None-Match", "If-Match",
            "If-Modified-Since", "If-Unmodified-Since");
    /** Response headers of S3 that describe the bytes served. */
    private static final List<String> PASSED_FROM_S3 = List.of("Content-Length", "Content-Range", "Accept-Ranges",
            "ETag", "Last-Modified");

    private final Proxy proxy;
    private final GatewayConfig config;
    private final ServiceToken serviceToken;

    public Downloads(Proxy proxy, GatewayConfig config, ServiceToken serviceToken) {
        this.proxy = proxy;
        this.config = config;
        this.serviceToken = serviceToken;
    }

    /**
     * Serves {@code GET|HEAD /v1/objects/{bucket}/{path}}.
     *
     * @param bucketAndPath the raw (still percent-encoded) {@code {bucket}/{path}} part of the request path
     */
    public void serve(RoutingContext ctx, String bucketAndPath) {
        String requestId = Proxy.requestId(ctx);
        String authorization = ctx.request().getHeader("Authorization");
        call(HttpMethod.GET, config.metadataUrl() + "/internal/objects/by-path/" + bucketAndPath, authorization, requestId, null)
                .onFailure(e -> ErrorResponse.upstreamUnavailable(ctx, "metadata-service"))
                .onSuccess(meta -> {
                    if (meta.status() != 200) {
                        answerAsIs(ctx, meta);
                        return;
                    }
                    JsonObject object = meta.body().toJsonObject();
                    if (ctx.request().method() == HttpMethod.HEAD) {
                        head(ctx, object);
                        return;
                    }
                    JsonObject sign = new JsonObject()
                            .put("operation", "s3:GetObject")
                            .put("key", object.getString("blobKey"))
                            .put("expiresIn", config.downloadUrlTtl());
                    // the gateway asks as itself: signing-service serves only Stowage's services
                    serviceToken.authorization().subscribe().with(
                            gatewayAuthorization -> call(HttpMethod.POST, config.signingUrl() + "/v1/sign", gatewayAuthorization,
                                    requestId, sign.toBuffer())
                                    .onFailure(e -> ErrorResponse.upstreamUnavailable(ctx, "signing-service"))
                                    .onSuccess(signed -> {
                                        if (signed.status() != 200) {
                                            answerAsIs(ctx, signed);
                                            return;
                                        }
                                        stream(ctx, object, signed.body().toJsonObject().getString("url"));
                                    }),
                            failure -> ErrorResponse.upstreamUnavailable(ctx, "token issuer"));
                });
    }

    private void head(RoutingContext ctx, JsonObject object) {
        var out = ctx.response();
        out.putHeader("Content-Type", object.getString("contentType", "application/octet-stream"));
        out.putHeader("Content-Length", String.valueOf(object.getLong("size", 0L)));
        if (object.getString("etag") != null) {
            out.putHeader("ETag", object.getString("etag"));
        }
        lastModified(object, out);
        out.putHeader("Accept-Ranges", "bytes");
        out.putHeader("Cache-Control", "private, max-age=0");
        out.setStatusCode(200).end();
    }

    private void stream(RoutingContext ctx, JsonObject object, String presignedUrl) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(presignedUrl)
                .setIdleTimeout(proxy.idleTimeoutMs());
        proxy.client().request(options).compose(request -> {
            for (String header : PASSED_TO_S3) {
                String value = ctx.request().getHeader(header);
                if (value != null) {
                    request.putHeader(header, value);
                }
            }
            return request.send();
        }).onFailure(e -> ErrorResponse.upstreamUnavailable(ctx, "object store")).onSuccess(s3 -> relayBlob(ctx, object, s3));
    }

    private void relayBlob(RoutingContext ctx, JsonObject object, HttpClientResponse s3) {
        int status = s3.statusCode();
        var out = ctx.response();
        if (status == 200 || status == 206 || status == 304) {
            for (String header : PASSED_FROM_S3) {
                String value = s3.getHeader(header);
                if (value != null) {
                    out.putHeader(header, value);
                }
            }
            out.putHeader("Content-Type", object.getString("contentType", "application/octet-stream"));
            out.putHeader("Cache-Control", "private, max-age=0");
            out.setStatusCode(status);
            if (status == 304) {
                s3.body();
                out.end();
            } else {
                out.send(s3);
            }
            return;
        }
        s3.body().onComplete(ignored -> {
            switch (status) {
                case 412 -> ErrorResponse.send(ctx, 412, "PreconditionFailed", "a precondition of the request does not hold");
                case 416 -> {
                    out.putHeader("Content-Range", "bytes */" + object.getLong("size", 0L));
                    ErrorResponse.send(ctx, 416, "RangeNotSatisfiable", "the range is outside the object");
                }
                case 404 -> ErrorResponse.send(ctx, 404, "ObjectNotFound", "the object's bytes are gone");
                default -> ErrorResponse.send(ctx, 502, "UpstreamUnavailable", "the object store answered " + status);
            }
        });
    }

    private static void lastModified(JsonObject object, io.vertx.core.http.HttpServerResponse out) {
        String updated = object.getString("updatedAt", object.getString("createdAt"));
        if (updated != null) {
            try {
                out.putHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(Instant.parse(updated).atOffset(ZoneOffset.UTC)));
            } catch (RuntimeException ignored) {
                // a timestamp we cannot read is simply not advertised
            }
        }
    }

    private static void answerAsIs(RoutingContext ctx, Reply reply) {
        ctx.response().setStatusCode(reply.status());
        if (reply.contentType() != null) {
            ctx.response().putHeader("Content-Type", reply.contentType());
        }
        ctx.response().end(reply.body());
    }

    /** A small JSON exchange with another service (metadata lookups, signatures): bounded, so buffered. */
    private Future<Reply> call(HttpMethod method, String url, String authorization, String requestId, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url).setIdleTimeout(proxy.idleTimeoutMs());
        return proxy.client().request(options).compose(request -> {
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
        }).compose(response -> response.body().map(b -> new Reply(response.statusCode(), response.getHeader("Content-Type"), b)));
    }

    private record Reply(int status, String contentType, Buffer body) {
    }
}
