package io.stowage.gateway.supabase;

import io.stowage.gateway.routing.Fields;
import io.stowage.contract.SharedErrorCode;
import static io.stowage.gateway.supabase.SupabaseRequests.handler;
import static io.stowage.gateway.supabase.SupabaseRequests.json;
import static io.stowage.gateway.supabase.SupabaseRequests.rid;
import static io.stowage.gateway.supabase.SupabaseRoutes.PREFIX;

import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.client.SigningClient;
import io.stowage.gateway.download.Downloads;
import io.stowage.gateway.errors.ErrorResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Signed download URLs: {@code POST /object/sign/{bucket}/{path}} (one, optionally with a rendition),
 * {@code POST /object/sign/{bucket}} (many), and {@code GET /object/sign/{bucket}/{path}?token=}, where
 * the token is the whole authorization.
 */
@ApplicationScoped
public class SignedUrlRoutes {

    private static final int ANY = Integer.MAX_VALUE;
    /** Supabase's transform options and the JSON type each takes. */
    private static final Map<String, Predicate<Object>> TRANSFORM_OPTIONS = Map.of(
            "width", v -> v instanceof Integer || v instanceof Long,
            "height", v -> v instanceof Integer || v instanceof Long,
            "quality", v -> v instanceof Integer || v instanceof Long,
            "resize", v -> v instanceof String,
            "format", v -> v instanceof String,
            "gravity", v -> v instanceof String,
            "x_offset", v -> v instanceof Number,
            "y_offset", v -> v instanceof Number);

    private final SupabaseRequests requests;
    private final MetadataClient metadata;
    private final SigningClient signing;
    private final Downloads downloads;

    public SignedUrlRoutes(SupabaseRequests requests, MetadataClient metadata, SigningClient signing, Downloads downloads) {
        this.requests = requests;
        this.metadata = metadata;
        this.signing = signing;
        this.downloads = downloads;
    }

    void register(Router router) {
        router.post(PREFIX + "/object/sign/:bucket").handler(handler(this::signMany));
        router.post(PREFIX + "/object/sign/:bucket/*").handler(handler(this::signOne));
        router.route(PREFIX + "/object/sign/:bucket/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(handler(this::signedDownload));
    }

    private void signOne(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(4, ANY, "object", "sign")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(2);
        String name = path.name(3);
        requests.userWithBody(ctx, (auth, body) -> {
            int expiresIn = Fields.integer(body, "expiresIn", 0);
            if (expiresIn <= 0) {
                ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "expiresIn must be a positive number of seconds");
                return;
            }
            Object transform = body.getValue("transform");
            sign(ctx, auth, bucket, name, expiresIn, transform instanceof JsonObject t && !t.isEmpty() ? t : null).onComplete(r -> {
                if (r.succeeded() && r.result().signedUrl() != null) {
                    json(ctx, 200, new JsonObject().put("signedURL", r.result().signedUrl()));
                } else if (r.succeeded()) {
                    ErrorResponse.relay(ctx, r.result().status(), r.result().error());
                } else {
                    requests.failed(ctx, SigningClient.SERVICE, r.cause());
                }
            });
        });
    }

    private void signMany(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(3, 3, "object", "sign")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(2);
        requests.userWithBody(ctx, (auth, body) -> {
            int expiresIn = Fields.integer(body, "expiresIn", 0);
            JsonArray paths = Fields.strings(body, "paths");
            if (expiresIn <= 0 || paths == null) {
                ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "expiresIn (seconds) and paths are required");
                return;
            }
            List<Future<Signed>> all = new ArrayList<>();
            paths.forEach(p -> all.add(sign(ctx, auth, bucket, SupabasePath.encodePath(String.valueOf(p)), expiresIn, null)));
            Future.join(all).onComplete(done -> {
                JsonArray out = new JsonArray();
                for (int i = 0; i < all.size(); i++) {
                    Future<Signed> one = all.get(i);
                    JsonObject row = new JsonObject().put("path", paths.getString(i));
                    if (one.succeeded() && one.result().signedUrl() != null) {
                        row.putNull("error").put("signedURL", one.result().signedUrl());
                    } else {
                        row.put("error", one.succeeded() ? "Either the object does not exist or you do not have access to it"
                                : "signing failed").putNull("signedURL");
                    }
                    out.add(row);
                }
                json(ctx, 200, out);
            });
        });
    }

    private record Signed(String signedUrl, int status, Buffer error) {
    }

    /**
     * Checks that the caller may read the object (the catalog decides), then has signing-service sign a
     * download token for it; with a transform, an image token with that rendition signed in (Supabase
     * embeds the transformations in the token, so whoever holds the link cannot ask for another rendition).
     */
    private Future<Signed> sign(RoutingContext ctx, String auth, String bucket, String name, int expiresIn, JsonObject transform) {
        String rendition;
        try {
            rendition = renderQuery(transform);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(new Signed(null, 400, new JsonObject().put("statusCode", 400)
                    .put("error", "InvalidRequest").put("message", e.getMessage()).toBuffer()));
        }
        return metadata.object(auth, rid(ctx), bucket + "/" + name).compose(meta -> {
            if (!meta.ok()) {
                return Future.succeededFuture(new Signed(null, meta.status(), meta.body()));
            }
            JsonObject object = meta.json();
            JsonObject request = new JsonObject().put("operation", rendition == null ? "stowage:download" : "stowage:image")
                    .put("bucket", object.getString("bucket")).put("name", object.getString("name"))
                    .put("expiresIn", expiresIn);
            if (rendition != null) {
                request.put("transform", rendition);
            }
            String route = rendition == null ? "/object/sign/" : "/render/image/sign/";
            return signing.sign(rid(ctx), request).map(signed -> signed.ok()
                    // the plain name, as Supabase answers: storage-js runs encodeURI over it
                    ? new Signed(route + object.getString("bucket") + "/" + object.getString("name")
                            + "?token=" + signed.json().getString("token"), 200, null)
                    : new Signed(null, signed.status(), signed.body()));
        });
    }

    /**
     * Supabase's transform options as image-service's render query ({@code width=..&height=..}), or
     * null for none. What the values mean is image-service's to check; a value of the wrong JSON type
     * is refused here, an option Supabase does not have is ignored.
     */
    static String renderQuery(JsonObject transform) {
        if (transform == null) {
            return null;
        }
        StringBuilder query = new StringBuilder();
        for (String option : transform.fieldNames().stream().sorted().toList()) {
            Object value = transform.getValue(option);
            var fits = TRANSFORM_OPTIONS.get(option);
            if (value == null || fits == null) {
                continue;
            }
            if (!fits.test(value)) {
                throw new IllegalArgumentException("transform." + option + " has the wrong type");
            }
            query.append(query.isEmpty() ? "" : "&").append(option).append('=')
                    .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return query.isEmpty() ? null : query.toString();
    }

    /** {@code GET /object/sign/{bucket}/{path}?token=}: the token is the whole authorization. */
    private void signedDownload(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(4, ANY, "object", "sign")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(2);
        String name = path.name(3);
        String token = ctx.request().getParam("token");
        if (token == null || token.isBlank()) {
            ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "querystring must have required property 'token'");
            return;
        }
        JsonObject verify = new JsonObject().put("token", token).put("scope", "download")
                .put("bucket", SupabasePath.decode(bucket)).put("name", SupabasePath.decode(name));
        signing.verify(rid(ctx), verify).onComplete(r -> requests.answer(ctx, r,
                reply -> downloads.serve(ctx, Downloads.Mode.SIGNED, bucket + "/" + name)));
    }
}
