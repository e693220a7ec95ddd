package io.stowage.upload.direct;

import io.stowage.contract.SharedErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.stowage.names.InvalidNameException;
import io.stowage.names.NameRules;
import io.stowage.names.RequestPaths;
import io.stowage.upload.error.ErrorMapper;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.error.RouteReplies;
import io.stowage.upload.auth.StreamedCallers;
import io.stowage.upload.auth.Caller;
import io.stowage.contract.MediaTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.io.IOException;
import java.util.Base64;
import java.util.Set;

/**
 * {@code PUT /v1/objects/{bucket}/{path}}: the body streamed into S3. A plain Vert.x route rather
 * than a REST resource, because the body must be read as a stream with back-pressure, never
 * buffered whole. Authentication is the same lazy OIDC identity the REST routes use, and errors
 * the same JSON ({@link ErrorMapper#reply}).
 */
@ApplicationScoped
public class DirectUploadRoute {

    public static final String PREFIX = "/v1/objects/";
    private static final Set<String> VISIBILITIES = Set.of("public", "private", "protected", "shared");

    static final String METADATA_HEADER = "X-Stowage-Metadata";
    private static final int MAX_CACHE_CONTROL = 256;
    /** Base64 of metadata-service's largest metadata (8 KiB by default) with room to spare. */
    private static final int MAX_METADATA_HEADER = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DirectUploads uploads;
    private final StreamedCallers callers;

    public DirectUploadRoute(DirectUploads uploads, StreamedCallers callers) {
        this.uploads = uploads;
        this.callers = callers;
    }

    void install(@Observes Router router) {
        router.put(PREFIX + "*").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        // Nothing of the body may be read before we know who sends it and where it goes.
        request.pause();
        var context = Vertx.currentContext();
        DirectUploads.Target target;
        try {
            target = target(request);
        } catch (UploadException | InvalidNameException e) {
            reply(ctx, e);
            return;
        }
        callers.resolve(ctx)
                .emitOn(runnable -> context.runOnContext(v -> runnable.run()))
                .chain(caller -> uploads.upload(caller, target, request, context, ctx.response()))
                .emitOn(runnable -> context.runOnContext(v -> runnable.run()))
                .subscribe().with(
                        answer -> {
                            if (!ctx.response().ended() && !ctx.response().closed()) {
                                ctx.response().setStatusCode(answer.status())
                                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                        .end(answer.body());
                            }
                        },
                        failure -> reply(ctx, failure));
    }

    /** Bucket, name, type and preconditions from the request line and headers, checked before any call out. */
    static DirectUploads.Target target(HttpServerRequest request) {
        String raw = request.path();
        String rest = raw.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new UploadException(SharedErrorCode.InvalidObjectName, "the route is PUT /v1/objects/{bucket}/{path}");
        }
        // decoded strictly: a malformed escape or bytes that are not UTF-8 are refused, never replaced
        String bucket = NameRules.requireBucket(RequestPaths.decode(rest.substring(0, slash), InvalidNameException.BUCKET));
        String name = NameRules.requireObject(RequestPaths.decode(rest.substring(slash + 1), InvalidNameException.OBJECT));
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || contentType.isBlank()) {
            contentType = "application/octet-stream";
        }
        if (!MediaTypes.isValid(contentType)) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "Content-Type must be a media type such as image/png");
        }
        Long length = null;
        String lengthHeader = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (lengthHeader != null) {
            try {
                length = Long.parseLong(lengthHeader.trim());
            } catch (NumberFormatException e) {
                throw new UploadException(SharedErrorCode.InvalidRequest, "Content-Length is not a number");
            }
        }
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "only If-None-Match: * is supported");
        }
        String ifMatch = request.getHeader(HttpHeaders.IF_MATCH);
        if (ifMatch != null) {
            ifMatch = ifMatch.trim();
            if (ifMatch.startsWith("W/")) {
                ifMatch = ifMatch.substring(2);
            }
            if (ifMatch.length() >= 2 && ifMatch.startsWith("\"") && ifMatch.endsWith("\"")) {
                ifMatch = ifMatch.substring(1, ifMatch.length() - 1);
            }
            if (ifMatch.isEmpty()) {
                throw new UploadException(SharedErrorCode.InvalidRequest, "If-Match needs an etag or version id");
            }
        }
        if (ifNoneMatch != null && ifMatch != null) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "If-None-Match and If-Match cannot be combined");
        }
        String visibility = request.getHeader("x-stowage-visibility");
        if (visibility != null && !VISIBILITIES.contains(visibility)) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "visibility must be one of public, private, protected, shared");
        }
        // Supabase's x-upsert: false refuses to replace an existing object; a plain PUT replaces it.
        boolean upsert = !"false".equalsIgnoreCase(request.getHeader("x-upsert"));
        String cacheControl = request.getHeader(HttpHeaders.CACHE_CONTROL);
        if (cacheControl != null && (cacheControl.length() > MAX_CACHE_CONTROL || cacheControl.chars().anyMatch(Character::isISOControl))) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "Cache-Control may be at most " + MAX_CACHE_CONTROL + " characters");
        }
        return new DirectUploads.Target(bucket, name, contentType, length, visibility,
                ifNoneMatch != null, ifMatch, upsert && ifNoneMatch == null && ifMatch == null,
                cacheControl == null || cacheControl.isBlank() ? null : cacheControl.trim(), userMetadata(request));
    }

    /** {@code X-Stowage-Metadata}: base64 of the user's metadata, a JSON object (metadata-service bounds its size). */
    private static ObjectNode userMetadata(HttpServerRequest request) {
        String encoded = request.getHeader(METADATA_HEADER);
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        if (encoded.length() > MAX_METADATA_HEADER) {
            throw new UploadException(SharedErrorCode.InvalidRequest, METADATA_HEADER + " is too large");
        }
        try {
            JsonNode metadata = JSON.readTree(Base64.getDecoder().decode(encoded.trim()));
            if (metadata instanceof ObjectNode object) {
                return object;
            }
        } catch (IllegalArgumentException | IOException e) {
            // falls through to the refusal
        }
        throw new UploadException(SharedErrorCode.InvalidRequest, METADATA_HEADER + " must be base64 of a JSON object");
    }

    private static void reply(RoutingContext ctx, Throwable failure) {
        RouteReplies.reply(ctx, failure);
    }
}
