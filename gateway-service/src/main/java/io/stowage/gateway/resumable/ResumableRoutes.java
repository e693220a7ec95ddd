package io.stowage.gateway.resumable;

import io.stowage.contract.SharedErrorCode;
import io.stowage.gateway.auth.Callers;
import io.stowage.gateway.auth.ServiceToken;
import io.stowage.gateway.client.SigningClient;
import io.stowage.gateway.config.GatewayConfig;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.stowage.names.RequestPaths;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Resumable uploads (tus 1.0.0), answered by upload-service: Supabase's {@code /storage/v1/upload/resumable}
 * (bearer token or project key), its {@code /sign} form (a signed upload token in {@code x-signature},
 * no Authorization), and the native {@code /v1/uploads/resumable}. The gateway authenticates and
 * streams; upload-service speaks the protocol. tus clients act on the HTTP status (409, 423, 460), so
 * these routes answer real statuses, never Supabase's "400 with the status inside".
 */
@ApplicationScoped
public class ResumableRoutes {

    public static final String SUPABASE = "/storage/v1/upload/resumable";
    public static final String SIGNED = SUPABASE + "/sign";
    public static final String NATIVE = "/v1/uploads/resumable";
    private static final String UPSTREAM = "/v1/uploads/resumable";
    private static final String SERVICE = "upload-service";
    private static final String SIGNATURE = "x-signature";
    /** upload-service's headers for an upload a Stowage service makes on a user's behalf. */
    private static final String OWNER = "X-Stowage-Owner";
    private static final String SIGNED_OBJECT = "X-Stowage-Signed-Object";
    private static final String FORWARDED_PREFIX = "X-Forwarded-Prefix";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Proxy proxy;
    private final Callers callers;
    private final SigningClient signing;
    private final ServiceToken serviceToken;
    private final GatewayConfig config;

    public ResumableRoutes(Proxy proxy, Callers callers, SigningClient signing, ServiceToken serviceToken, GatewayConfig config) {
        this.proxy = proxy;
        this.callers = callers;
        this.signing = signing;
        this.serviceToken = serviceToken;
        this.config = config;
    }

    /** Supabase's paths; registered by the Supabase API ahead of its catch-all. */
    public void registerSupabase(Router router) {
        router.route(SIGNED).handler(ctx -> signed(ctx, null));
        router.route(SIGNED + "/:id").handler(ctx -> signed(ctx, ctx.pathParam("id")));
        router.route(SUPABASE).handler(ctx -> asCaller(ctx, SUPABASE, null));
        router.route(SUPABASE + "/:id").handler(ctx -> asCaller(ctx, SUPABASE, ctx.pathParam("id")));
    }

    /** The native paths; registered by the native API. */
    public void registerNative(Router router) {
        router.route(NATIVE).handler(ctx -> asCaller(ctx, NATIVE, null));
        router.route(NATIVE + "/:id").handler(ctx -> asCaller(ctx, NATIVE, ctx.pathParam("id")));
    }

    /** Whether a request is a resumable upload's, whose body is file bytes rather than a small JSON document. */
    public static boolean carriesFileBytes(String path) {
        return path.equals(NATIVE) || path.startsWith(NATIVE + "/");
    }

    private void asCaller(RoutingContext ctx, String prefix, String id) {
        if (!start(ctx, id)) {
            return;
        }
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            forward(ctx, prefix, id);
            return;
        }
        callers.requireUser(ctx, (c, identity) -> forward(c, prefix, id));
    }

    /**
     * The token is the whole authorization: the object it names is read from it, signing-service verifies
     * it for that object, and the request goes on as the gateway, for the user who signed it, limited to
     * that object and to what the token says of overwriting.
     */
    private void signed(RoutingContext ctx, String id) {
        if (!start(ctx, id)) {
            return;
        }
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            forward(ctx, SIGNED, id);
            return;
        }
        String token = ctx.request().getHeader(SIGNATURE);
        if (token == null || token.isBlank()) {
            ErrorResponse.sendBeforeBody(ctx, SharedErrorCode.Unauthorized, "the x-signature header must carry a signed upload token");
            return;
        }
        JsonObject named = namedObject(token.trim());
        if (named == null) {
            ErrorResponse.sendBeforeBody(ctx, SharedErrorCode.InvalidSignature, "x-signature is not a signed upload token");
            return;
        }
        JsonObject verify = new JsonObject().put("token", token.trim()).put("scope", "upload")
                .put("bucket", named.getString("bucket")).put("name", named.getString("name"));
        String rid = Proxy.requestId(ctx);
        signing.verify(rid, verify).compose(reply -> serviceToken.future().map(gateway -> new Verified(reply, gateway)))
                .onComplete(result -> {
                    if (result.failed()) {
                        proxy.failed(ctx, SigningClient.SERVICE, result.cause());
                        return;
                    }
                    Reply reply = result.result().reply();
                    if (!reply.ok()) {
                        ErrorResponse.relay(ctx, reply.status(), reply.body());
                        return;
                    }
                    var headers = ctx.request().headers();
                    headers.remove(SIGNATURE);
                    headers.set("Authorization", result.result().gateway());
                    headers.set(OWNER, reply.json().getString("owner"));
                    headers.set(SIGNED_OBJECT, RequestPaths.encodeSegment(reply.json().getString("bucket")) + "/"
                            + RequestPaths.encodeSegment(reply.json().getString("name")));
                    headers.set("x-upsert", String.valueOf(reply.json().getBoolean("upsert", false)));
                    forward(ctx, SIGNED, id);
                });
    }

    private record Verified(Reply reply, String gateway) {
    }

    /** First steps of every resumable request: real statuses, the request id, an id that can only be one. */
    private static boolean start(RoutingContext ctx, String id) {
        ctx.remove(ErrorResponse.SUPABASE_STYLE);
        ctx.request().pause();
        Proxy.requestId(ctx);
        if (id != null && !ID.matcher(id).matches()) {
            ErrorResponse.sendBeforeBody(ctx, SharedErrorCode.UploadNotFound, "no such upload");
            return false;
        }
        // what a client says on its own behalf never reaches upload-service; only the signed route sets these
        ctx.request().headers().remove(OWNER).remove(SIGNED_OBJECT);
        return true;
    }

    private void forward(RoutingContext ctx, String publicPrefix, String id) {
        ctx.request().headers().set(FORWARDED_PREFIX, publicPrefix);
        proxy.forward(ctx, SERVICE, config.uploadUrl(), UPSTREAM + (id == null ? "" : "/" + id));
    }

    /** The bucket and name a Stowage token claims (its payload, not yet verified), or null when it is not one. */
    private static JsonObject namedObject(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return claims.getValue("bucket") instanceof String && claims.getValue("name") instanceof String ? claims : null;
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            return null;
        }
    }
}
