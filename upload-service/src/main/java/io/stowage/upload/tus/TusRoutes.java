package io.stowage.upload.tus;

import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.error.UploadErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.stowage.contract.MediaTypes;
import io.stowage.names.InvalidNameException;
import io.stowage.names.NameRules;
import io.stowage.names.RequestPaths;
import io.stowage.upload.auth.StreamedCallers;
import io.stowage.upload.error.RouteReplies;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.auth.Caller;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tus 1.0.0 protocol at {@code /v1/uploads/resumable}: core (HEAD, PATCH, OPTIONS) with the
 * creation, creation-with-upload, creation-defer-length, termination, expiration and checksum
 * extensions. This class only reads and writes the protocol's headers; what an operation does is
 * {@link TusUploads}'s. Plain Vert.x routes, so that a PATCH body streams with back-pressure.
 *
 * <p>{@code Upload-Metadata} carries Supabase's keys: {@code bucketName}, {@code objectName},
 * {@code contentType}, {@code cacheControl} (seconds, or a Cache-Control value), {@code metadata}
 * (a JSON object), and Stowage's {@code visibility}; {@code x-upsert: true} lets the upload replace
 * an existing object.
 */
@ApplicationScoped
public class TusRoutes {

    public static final String PREFIX = "/v1/uploads/resumable";
    /**
     * From a Stowage service uploading on a user's behalf with a signed upload token: the one object the
     * token allows, as {@code <bucket>/<name>} with both percent-encoded. Ignored from anyone else.
     */
    public static final String SIGNED_OBJECT = "X-Stowage-Signed-Object";
    /** The public path the gateway serves this route at, so that {@code Location} points there. */
    public static final String FORWARDED_PREFIX = "X-Forwarded-Prefix";

    private static final Pattern PUBLIC_PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+){1,8}");
    private static final Set<String> VISIBILITIES = Set.of("public", "private", "protected", "shared");
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
    private static final int MAX_CACHE_CONTROL = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TusUploads uploads;
    private final StreamedCallers callers;

    public TusRoutes(TusUploads uploads, StreamedCallers callers) {
        this.uploads = uploads;
        this.callers = callers;
    }

    void install(@Observes Router router) {
        router.route(PREFIX).handler(ctx -> handle(ctx, null));
        router.route(PREFIX + "/:id").handler(ctx -> handle(ctx, ctx.pathParam("id")));
    }

    private void handle(RoutingContext ctx, String id) {
        HttpServerRequest request = ctx.request();
        // nothing of a body is read before the caller and the upload are known
        request.pause();
        HttpServerResponse response = ctx.response();
        response.putHeader(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION);
        HttpMethod method = request.method();
        String override = request.getHeader(TusHeaders.METHOD_OVERRIDE);
        if (method == HttpMethod.POST && override != null && !override.isBlank()) {
            method = HttpMethod.valueOf(override.trim().toUpperCase(Locale.ROOT));
        }
        if (method == HttpMethod.OPTIONS) {
            response.setStatusCode(204)
                    .putHeader(TusHeaders.TUS_VERSION, TusHeaders.VERSION)
                    .putHeader(TusHeaders.TUS_EXTENSION, TusHeaders.EXTENSIONS)
                    .putHeader(TusHeaders.TUS_MAX_SIZE, String.valueOf(uploads.maxSize()))
                    .putHeader(TusHeaders.TUS_CHECKSUM_ALGORITHM, TusHeaders.CHECKSUM_ALGORITHMS)
                    .end();
            return;
        }
        if (!TusHeaders.VERSION.equals(request.getHeader(TusHeaders.TUS_RESUMABLE))) {
            response.putHeader(TusHeaders.TUS_VERSION, TusHeaders.VERSION);
            fail(ctx, new UploadException(UploadErrorCode.UnsupportedVersion, "this server speaks tus " + TusHeaders.VERSION
                    + " (Tus-Resumable: " + TusHeaders.VERSION + ")"));
            return;
        }
        Context context = Vertx.currentContext();
        try {
            if (id == null && method == HttpMethod.POST) {
                create(ctx, context, creation(request));
            } else if (id != null && method == HttpMethod.HEAD) {
                answer(ctx, context, callers.resolve(ctx).chain(caller -> uploads.head(caller, id, signed(caller, request))),
                        upload -> head(response, upload));
            } else if (id != null && method == HttpMethod.PATCH) {
                TusUploads.Patch patch = patch(request);
                answer(ctx, context, callers.resolve(ctx).emitOn(onContext(context)).chain(caller -> uploads.patch(caller, id,
                        signed(caller, request), patch, request, response, context)), upload -> written(response, upload, 204));
            } else if (id != null && method == HttpMethod.DELETE) {
                answer(ctx, context, callers.resolve(ctx).chain(caller -> uploads.terminate(caller, id, signed(caller, request))),
                        ignored -> response.setStatusCode(204).end());
            } else {
                throw new UploadException(SharedErrorCode.MethodNotAllowed, method + " is not a tus request on this URL");
            }
        } catch (UploadException | InvalidNameException e) {
            fail(ctx, e);
        }
    }

    /** POST: creation, and with a body, creation-with-upload (the body is the upload's first bytes). */
    private void create(RoutingContext ctx, Context context, TusUploads.Creation creation) {
        HttpServerRequest request = ctx.request();
        boolean withUpload = hasBody(request);
        TusUploads.Patch first = null;
        if (withUpload) {
            requireOctetStream(request);
            TusHeaders.Checksum checksum = TusHeaders.checksum(request.getHeader(TusHeaders.UPLOAD_CHECKSUM));
            first = new TusUploads.Patch(0, null, checksum == null ? null : checksum.algorithm(),
                    checksum == null ? null : checksum.digest());
        }
        TusUploads.Patch patch = first;
        String location = publicPrefix(request);
        answer(ctx, context, callers.resolve(ctx).emitOn(onContext(context)).chain(caller -> {
            TusUploads.SignedTarget signed = signed(caller, request);
            return uploads.create(caller, creation, signed).emitOn(onContext(context)).chain(created -> patch == null
                    || !created.open() ? Uni.createFrom().item(created)
                    : uploads.patch(caller, created.id(), signed, patch, request, ctx.response(), context));
        }), upload -> {
            ctx.response().putHeader(HttpHeaders.LOCATION, location + "/" + upload.id());
            written(ctx.response(), upload, 201);
        });
    }

    private static TusUploads.Creation creation(HttpServerRequest request) {
        String length = request.getHeader(TusHeaders.UPLOAD_LENGTH);
        String defer = request.getHeader(TusHeaders.UPLOAD_DEFER_LENGTH);
        if ((length == null) == (defer == null)) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "a creation needs either Upload-Length or Upload-Defer-Length: 1");
        }
        if (defer != null && !"1".equals(defer.trim())) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "Upload-Defer-Length must be 1");
        }
        Long declared = length == null ? null : TusHeaders.count(length, TusHeaders.UPLOAD_LENGTH);
        String raw = request.getHeader(TusHeaders.UPLOAD_METADATA);
        Map<String, String> metadata = TusHeaders.metadata(raw);
        String bucket = NameRules.requireBucket(required(metadata, "bucketName"));
        String name = NameRules.requireObject(required(metadata, "objectName"));
        String contentType = metadata.getOrDefault("contentType", "");
        if (contentType.isBlank()) {
            contentType = "application/octet-stream";
        }
        if (!MediaTypes.isValid(contentType)) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "contentType must be a media type such as image/png");
        }
        String visibility = metadata.get("visibility");
        if (visibility != null && !VISIBILITIES.contains(visibility)) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "visibility must be one of public, private, protected, shared");
        }
        boolean upsert = "true".equalsIgnoreCase(request.getHeader("x-upsert"));
        return new TusUploads.Creation(bucket, name, contentType, cacheControl(metadata.get("cacheControl")),
                userMetadata(metadata.get("metadata")), visibility, upsert, declared, raw == null ? null : raw.trim());
    }

    private static String required(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null || value.isEmpty()) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "Upload-Metadata must name '" + key + "'");
        }
        return value;
    }

    /** Supabase sends seconds ("3600"); a full Cache-Control value is taken as it is. */
    private static String cacheControl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (MAX_AGE.matcher(trimmed).matches()) {
            return "max-age=" + Long.parseLong(trimmed);
        }
        if (trimmed.length() > MAX_CACHE_CONTROL || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "cacheControl may be at most " + MAX_CACHE_CONTROL + " characters");
        }
        return trimmed;
    }

    private static ObjectNode userMetadata(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            JsonNode parsed = JSON.readTree(value);
            if (parsed instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // falls through to the refusal
        }
        throw new UploadException(SharedErrorCode.InvalidRequest, "metadata in Upload-Metadata must be a JSON object");
    }

    private static TusUploads.Patch patch(HttpServerRequest request) {
        requireOctetStream(request);
        long offset = TusHeaders.count(request.getHeader(TusHeaders.UPLOAD_OFFSET), TusHeaders.UPLOAD_OFFSET);
        String lengthHeader = request.getHeader(TusHeaders.UPLOAD_LENGTH);
        Long length = lengthHeader == null ? null : TusHeaders.count(lengthHeader, TusHeaders.UPLOAD_LENGTH);
        TusHeaders.Checksum checksum = TusHeaders.checksum(request.getHeader(TusHeaders.UPLOAD_CHECKSUM));
        return new TusUploads.Patch(offset, length, checksum == null ? null : checksum.algorithm(),
                checksum == null ? null : checksum.digest());
    }

    private static void requireOctetStream(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !MediaTypes.essence(type).equals(TusHeaders.OFFSET_OCTET_STREAM)) {
            throw new UploadException(SharedErrorCode.UnsupportedMediaType,
                    "the body of a tus request must be Content-Type: " + TusHeaders.OFFSET_OCTET_STREAM);
        }
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null ? !"0".equals(length.trim()) : request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /** The object a signed upload token allows, told by the Stowage service that redeemed it. */
    private static TusUploads.SignedTarget signed(Caller caller, HttpServerRequest request) {
        String header = request.getHeader(SIGNED_OBJECT);
        if (!caller.onBehalf() || header == null) {
            return null;
        }
        int slash = header.indexOf('/');
        if (slash <= 0) {
            throw new UploadException(SharedErrorCode.InvalidRequest, SIGNED_OBJECT + " must be <bucket>/<name>");
        }
        return new TusUploads.SignedTarget(RequestPaths.decode(header.substring(0, slash), InvalidNameException.BUCKET),
                RequestPaths.decode(header.substring(slash + 1), InvalidNameException.OBJECT));
    }

    private static String publicPrefix(HttpServerRequest request) {
        String forwarded = request.getHeader(FORWARDED_PREFIX);
        return forwarded != null && PUBLIC_PREFIX.matcher(forwarded).matches() ? forwarded : PREFIX;
    }

    private static void head(HttpServerResponse response, TusUpload upload) {
        response.setStatusCode(200).putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader(TusHeaders.UPLOAD_OFFSET, String.valueOf(upload.offset()));
        if (upload.deferred()) {
            response.putHeader(TusHeaders.UPLOAD_DEFER_LENGTH, "1");
        } else {
            response.putHeader(TusHeaders.UPLOAD_LENGTH, String.valueOf(upload.length()));
        }
        if (upload.rawMetadata() != null && !upload.rawMetadata().isEmpty()) {
            response.putHeader(TusHeaders.UPLOAD_METADATA, upload.rawMetadata());
        }
        if (upload.open()) {
            response.putHeader(TusHeaders.UPLOAD_EXPIRES, TusHeaders.httpDate(upload.expiresAt()));
        }
        response.end();
    }

    private static void written(HttpServerResponse response, TusUpload upload, int status) {
        response.setStatusCode(status).putHeader(TusHeaders.UPLOAD_OFFSET, String.valueOf(upload.offset()));
        if (upload.open()) {
            response.putHeader(TusHeaders.UPLOAD_EXPIRES, TusHeaders.httpDate(upload.expiresAt()));
        }
        response.end();
    }

    private static <T> void answer(RoutingContext ctx, Context context, Uni<T> operation, java.util.function.Consumer<T> then) {
        operation.emitOn(onContext(context)).subscribe().with(result -> {
            if (!ctx.response().ended() && !ctx.response().closed()) {
                then.accept(result);
            }
        }, failure -> fail(ctx, failure));
    }

    private static java.util.concurrent.Executor onContext(Context context) {
        return runnable -> context.runOnContext(v -> runnable.run());
    }

    private static void fail(RoutingContext ctx, Throwable failure) {
        RouteReplies.reply(ctx, failure);
    }
}
