package io.stowage.gateway.download;

import io.stowage.gateway.errors.GatewayErrorCode;
import io.stowage.contract.SharedErrorCode;
import io.stowage.gateway.auth.ServiceToken;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.metrics.GatewayMetrics;
import io.stowage.gateway.config.GatewayConfig;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.client.SigningClient;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Downloads: metadata-service says whether the caller may read the object and where its blob is,
 * signing-service presigns a short-lived GET of the blob, and the gateway streams S3's answer (with
 * Range passed through) to the caller, or redirects the caller to it. Conditional requests are the
 * gateway's to answer ({@link Preconditions}), against the catalog's etag and update time, which every
 * answer names as its {@code ETag} and {@code Last-Modified}, whether the bytes come from memory or S3.
 * The gateway holds no S3 credentials.
 */
@ApplicationScoped
public class Downloads {

    /** Response headers of S3 that describe the bytes served (the validators are the catalog's). */
    private static final List<String> PASSED_FROM_S3 = List.of("Content-Length", "Content-Range", "Accept-Ranges");

    /** How the object is found and how its bytes are handed over. */
    public enum Mode {
        /** signed-in caller, by path: stream, private caching */
        PRIVATE,
        /** anyone, by path, public objects only: stream, CDN caching */
        PUBLIC,
        /** signed-in caller, by id: redirect to the presigned URL unless {@code redirect=false} */
        BY_ID,
        /** a signed link whose token the gateway has verified: looked up as the gateway itself, streamed */
        SIGNED
    }

    private final Proxy proxy;
    private final GatewayConfig config;
    private final ServiceToken serviceToken;
    private final GatewayMetrics metrics;
    private final MetadataClient metadata;
    private final SigningClient signing;
    private final PresignedReads presignedReads;
    private final ObjectLookups lookups;
    private final SmallBlobs smallBlobs;

    public Downloads(Proxy proxy, GatewayConfig config, ServiceToken serviceToken, GatewayMetrics metrics, MetadataClient metadata,
                     SigningClient signing, PresignedReads presignedReads, ObjectLookups lookups, SmallBlobs smallBlobs) {
        this.lookups = lookups;
        this.smallBlobs = smallBlobs;
        this.metadata = metadata;
        this.signing = signing;
        this.presignedReads = presignedReads;
        this.proxy = proxy;
        this.config = config;
        this.serviceToken = serviceToken;
        this.metrics = metrics;
    }

    /**
     * Serves a download.
     *
     * @param locator for PRIVATE and PUBLIC the raw (still percent-encoded) {@code {bucket}/{path}}; for BY_ID the file id
     */
    public void serve(RoutingContext ctx, Mode mode, String locator) {
        if (mode == Mode.SIGNED) {
            serviceToken.authorization().subscribe().with(gateway -> serve(ctx, mode, locator, gateway),
                    failure -> ErrorResponse.upstreamUnavailable(ctx, "token issuer"));
        } else {
            serve(ctx, mode, locator, mode == Mode.PUBLIC ? null : ctx.request().getHeader("Authorization"));
        }
    }

    private void serve(RoutingContext ctx, Mode mode, String locator, String authorization) {
        JsonObject kept = lookups.get(mode, authorization, locator);
        if (kept != null) {
            // a kept answer may name a blob released since (an overwrite or delete around this gateway within the
            // bound): then it is dropped and the catalog asked again, so the caller gets the old or the new version
            found(ctx, mode, kept, () -> {
                lookups.forget(mode, authorization, locator);
                lookUp(ctx, mode, locator, authorization);
            });
            return;
        }
        lookUp(ctx, mode, locator, authorization);
    }

    private void lookUp(RoutingContext ctx, Mode mode, String locator, String authorization) {
        String requestId = Proxy.requestId(ctx);
        ObjectLookups.Stamp stamp = lookups.stamp(mode, locator);
        Future<Reply> lookup = switch (mode) {
            case BY_ID -> metadata.file(authorization, requestId, locator);
            // the catalog's public read route answers anonymous callers for public things only
            case PUBLIC -> metadata.publicObject(authorization, requestId, locator);
            default -> metadata.object(authorization, requestId, locator);
        };
        lookup.onFailure(e -> proxy.failed(ctx, MetadataClient.SERVICE, e))
                .onSuccess(meta -> {
                    if (mode == Mode.PUBLIC && (meta.status() == 401 || meta.status() == 403)) {
                        // what anonymous callers may not read does not exist for them
                        ErrorResponse.send(ctx, SharedErrorCode.ObjectNotFound, "no public object at this path");
                        return;
                    }
                    if (meta.status() != 200) {
                        answerAsIs(ctx, meta);
                        return;
                    }
                    JsonObject object = meta.body().toJsonObject();
                    lookups.keep(mode, authorization, locator, stamp, object);
                    found(ctx, mode, object, null);
                });
    }

    /**
     * The caller may read {@code object}: its headers, its bytes from memory, or a stream from S3. {@code gone}
     * (null: none) runs instead of a 404 when S3 no longer holds the blob of an answer that was kept.
     */
    private void found(RoutingContext ctx, Mode mode, JsonObject object, Runnable gone) {
        if (ctx.request().method() == HttpMethod.HEAD) {
            head(ctx, mode, object);
            return;
        }
        Preconditions.Outcome outcome = preconditions(ctx, object);
        if (answered(ctx, mode, object, outcome)) {
            return;
        }
        // a Range applies unless an If-Range no longer holds; a read of the whole object may come from memory
        String range = outcome == Preconditions.Outcome.SERVE
                ? ConditionalHeaders.readable("Range", ctx.request().getHeader("Range")) : null;
        if (mode != Mode.BY_ID && range == null) {
            SmallBlobs.Held held = smallBlobs.get(object.getString("blobKey"));
            if (held != null) {
                fromMemory(ctx, object, held, mode);
                return;
            }
        }
        presign(ctx, Proxy.requestId(ctx), object, mode, range, gone);
    }

    private static Preconditions.Outcome preconditions(RoutingContext ctx, JsonObject object) {
        return Preconditions.evaluate(ctx.request()::getHeader, etag(object), lastModified(object));
    }

    /** Answers a 304 or a 412 when the preconditions say so; false when the read goes on. */
    private boolean answered(RoutingContext ctx, Mode mode, JsonObject object, Preconditions.Outcome outcome) {
        if (outcome != Preconditions.Outcome.NOT_MODIFIED && outcome != Preconditions.Outcome.FAILED) {
            return false;
        }
        HttpServerResponse out = ctx.response();
        validators(object, out);
        if (outcome == Preconditions.Outcome.FAILED) {
            ErrorResponse.send(ctx, SharedErrorCode.PreconditionFailed, "a precondition of the request does not hold"
                    + " (If-Match or If-Unmodified-Since against the object's ETag and Last-Modified)");
        } else {
            out.putHeader("Cache-Control", cacheControl(mode, object));
            out.setStatusCode(304).end();
        }
        return true;
    }

    private void presign(RoutingContext ctx, String requestId, JsonObject object, Mode mode, String range, Runnable gone) {
        boolean redirect = mode == Mode.BY_ID && !"false".equals(ctx.request().getParam("redirect"));
        JsonObject sign = new JsonObject()
                .put("operation", "s3:GetObject")
                .put("key", object.getString("blobKey"))
                .put("expiresIn", config.downloadUrlTtl());
        String disposition = contentDisposition(ctx.request().getParam("download"), object.getString("name", "download"));
        if (redirect && disposition != null) {
            // the caller fetches from S3 itself, so S3 has to add the header
            sign.put("responseContentDisposition", disposition);
        }
        String blobKey = object.getString("blobKey");
        String kept = redirect ? null : presignedReads.of(blobKey);
        if (kept != null) {
            stream(ctx, object, kept, mode, disposition, range, gone);
            return;
        }
        // the gateway asks as itself: signing-service serves only Stowage's services
        serviceToken.authorization().subscribe().with(
                gatewayAuthorization -> signing.sign(gatewayAuthorization, requestId, sign)
                        .onFailure(e -> proxy.failed(ctx, SigningClient.SERVICE, e))
                        .onSuccess(signed -> {
                            if (signed.status() != 200) {
                                answerAsIs(ctx, signed);
                                return;
                            }
                            String url = signed.body().toJsonObject().getString("url");
                            if (!redirect) {
                                presignedReads.keep(blobKey, url);
                            }
                            if (redirect) {
                                ctx.response().setStatusCode(302).putHeader("Location", url)
                                        .putHeader("Cache-Control", "no-store").end();
                            } else {
                                stream(ctx, object, url, mode, disposition, range, gone);
                            }
                        }),
                failure -> ErrorResponse.upstreamUnavailable(ctx, "token issuer"));
    }

    /** Answers a HEAD for {@code object}: its headers, no body (or 304/412 as its preconditions say). */
    public void head(RoutingContext ctx, Mode mode, JsonObject object) {
        if (answered(ctx, mode, object, preconditions(ctx, object))) {
            return;
        }
        HttpServerResponse out = ctx.response();
        out.putHeader("Content-Type", object.getString("contentType", "application/octet-stream"));
        out.putHeader("Content-Length", String.valueOf(object.getLong("size", 0L)));
        validators(object, out);
        out.putHeader("Accept-Ranges", "bytes");
        out.putHeader("Cache-Control", cacheControl(mode, object));
        out.setStatusCode(200).end();
    }

    /** Streams the blob from S3, asking for {@code range} (null: the whole blob); S3 judges no precondition. */
    private void stream(RoutingContext ctx, JsonObject object, String presignedUrl, Mode mode, String disposition, String range,
                        Runnable gone) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(presignedUrl);
        proxy.watch("object store", proxy.open("object store", options).compose(request -> {
            if (range != null) {
                request.putHeader("Range", range);
            }
            return request.send();
        })).onFailure(e -> proxy.failed(ctx, "object store", e))
                .onSuccess(s3 -> relayBlob(ctx, object, s3, mode, disposition, range != null, gone));
    }

    private void relayBlob(RoutingContext ctx, JsonObject object, HttpClientResponse s3, Mode mode, String disposition,
                           boolean ranged, Runnable gone) {
        int status = s3.statusCode();
        HttpServerResponse out = ctx.response();
        if (status == 200 || status == 206) {
            for (String header : PASSED_FROM_S3) {
                String value = s3.getHeader(header);
                if (value != null) {
                    out.putHeader(header, value);
                }
            }
            validators(object, out);
            out.putHeader("Content-Type", object.getString("contentType", "application/octet-stream"));
            out.putHeader("Cache-Control", cacheControl(mode, object));
            if (disposition != null) {
                out.putHeader("Content-Disposition", disposition);
            }
            out.setStatusCode(status);
            if (status == 200 && !ranged && smallBlobs.fits(declaredLength(s3))) {
                // small enough to keep whole (bounded by blob-cache-max-object): the next reads come from memory
                s3.body().onFailure(e -> proxy.failed(ctx, "object store", e)).onSuccess(body -> {
                    smallBlobs.keep(object.getString("blobKey"), new SmallBlobs.Held(body));
                    out.end(body).onSuccess(v -> metrics.bytesServed(mode.name().toLowerCase(java.util.Locale.ROOT), body.length()));
                });
            } else {
                String route = mode.name().toLowerCase(java.util.Locale.ROOT);
                out.send(s3).onSuccess(v -> metrics.bytesServed(route, out.bytesWritten()));
            }
            return;
        }
        s3.body().onComplete(ignored -> {
            switch (status) {
                case 416 -> {
                    out.putHeader("Content-Range", "bytes */" + object.getLong("size", 0L));
                    ErrorResponse.send(ctx, GatewayErrorCode.RangeNotSatisfiable, "the range is outside the object");
                }
                case 404 -> {
                    if (gone != null) {
                        gone.run();
                    } else {
                        ErrorResponse.send(ctx, SharedErrorCode.ObjectNotFound, "the object's bytes are gone");
                    }
                }
                default -> ErrorResponse.send(ctx, SharedErrorCode.UpstreamUnavailable, "the object store answered " + status);
            }
        });
    }

    /** Serves a small blob kept in memory, with the catalog's validators, as a read from S3 is served. */
    private void fromMemory(RoutingContext ctx, JsonObject object, SmallBlobs.Held held, Mode mode) {
        HttpServerResponse out = ctx.response();
        out.putHeader("Content-Length", String.valueOf(held.body().length()));
        out.putHeader("Accept-Ranges", "bytes");
        validators(object, out);
        out.putHeader("Content-Type", object.getString("contentType", "application/octet-stream"));
        out.putHeader("Cache-Control", cacheControl(mode, object));
        String disposition = contentDisposition(ctx.request().getParam("download"), object.getString("name", "download"));
        if (disposition != null) {
            out.putHeader("Content-Disposition", disposition);
        }
        out.setStatusCode(200).end(held.body())
                .onSuccess(v -> metrics.bytesServed(mode.name().toLowerCase(java.util.Locale.ROOT), held.body().length()));
    }

    private static long declaredLength(HttpClientResponse s3) {
        try {
            String length = s3.getHeader("Content-Length");
            return length == null ? -1 : Long.parseLong(length);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The object's own Cache-Control when it was uploaded with one (as Supabase serves it; a shared
     * cache still stores no answer to an authenticated request unless it says public, RFC 9111
     * §3.5); otherwise CDN caching for public reads and none for the rest.
     */
    private String cacheControl(Mode mode, JsonObject object) {
        String own = object.getString("cacheControl");
        if (own != null && !own.isBlank()) {
            return own;
        }
        return mode == Mode.PUBLIC ? "public, max-age=" + config.publicMaxAge() : "private, max-age=0";
    }

    /**
     * {@code ?download} asks for an attachment under the object's own file name, {@code ?download=name}
     * under another one. The name is sent in RFC 6266/5987 form so any UTF-8 name survives.
     */
    static String contentDisposition(String download, String objectName) {
        if (download == null) {
            return null;
        }
        String name = download.isBlank() ? objectName : download;
        name = name.substring(name.lastIndexOf('/') + 1);
        String ascii = name.replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String etag(JsonObject object) {
        String etag = object.getString("etag");
        if (etag == null || etag.isEmpty()) {
            return null;
        }
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    /** The catalog's validators of the object as {@code ETag} and {@code Last-Modified}: what preconditions are judged against. */
    private static void validators(JsonObject object, HttpServerResponse out) {
        String etag = etag(object);
        if (etag != null) {
            out.putHeader("ETag", etag);
        }
        Instant modified = lastModified(object);
        if (modified != null) {
            out.putHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atOffset(ZoneOffset.UTC)));
        }
    }

    /** The object's last change in the catalog, or null when it names none we can read (then not advertised). */
    private static Instant lastModified(JsonObject object) {
        String updated = object.getString("updatedAt", object.getString("createdAt"));
        if (updated == null) {
            return null;
        }
        try {
            return Instant.parse(updated);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void answerAsIs(RoutingContext ctx, Reply reply) {
        ErrorResponse.relay(ctx, reply.status(), reply.body());
    }

}
