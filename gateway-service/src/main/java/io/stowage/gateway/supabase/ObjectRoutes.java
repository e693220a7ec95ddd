package io.stowage.gateway.supabase;

import io.stowage.gateway.routing.Fields;
import io.stowage.contract.SharedErrorCode;
import static io.stowage.gateway.supabase.SupabaseRequests.handler;
import static io.stowage.gateway.supabase.SupabaseRequests.json;
import static io.stowage.gateway.supabase.SupabaseRequests.message;
import static io.stowage.gateway.supabase.SupabaseRequests.notFound;
import static io.stowage.gateway.supabase.SupabaseRequests.rid;
import static io.stowage.gateway.supabase.SupabaseRoutes.PREFIX;

import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.client.UploadClient.Uploader;
import io.stowage.gateway.download.Downloads;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.routing.UploadChecks;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;

/**
 * One object by its path: upload (POST creates, {@code x-upsert} overwrites; PUT updates), download
 * (signed in, {@code /authenticated}, or {@code /public}), info, delete; and {@code DELETE /object/{bucket}}
 * of many.
 */
@ApplicationScoped
public class ObjectRoutes {

    private static final int ANY = Integer.MAX_VALUE;

    private final SupabaseRequests requests;
    private final MetadataClient metadata;
    private final Downloads downloads;
    private final UploadChecks uploadChecks;
    private final ObjectUploads uploads;

    public ObjectRoutes(SupabaseRequests requests, MetadataClient metadata, Downloads downloads, UploadChecks uploadChecks,
            ObjectUploads uploads) {
        this.requests = requests;
        this.metadata = metadata;
        this.downloads = downloads;
        this.uploadChecks = uploadChecks;
        this.uploads = uploads;
    }

    /** The routes under a word of their own ({@code /object/info}, {@code /public}, {@code /authenticated}). */
    void registerNamed(Router router) {
        router.route(PREFIX + "/object/info/public/:bucket/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(handler((ctx, path) -> info(ctx, path, 3, true)));
        router.route(PREFIX + "/object/info/authenticated/:bucket/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(handler((ctx, path) -> info(ctx, path, 3, false)));
        router.route(PREFIX + "/object/info/:bucket/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(handler((ctx, path) -> info(ctx, path, 2, false)));
        router.route(PREFIX + "/object/public/:bucket/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(handler((ctx, path) -> download(ctx, path, "public", Downloads.Mode.PUBLIC)));
        router.route(PREFIX + "/object/authenticated/:bucket/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(handler((ctx, path) -> download(ctx, path, "authenticated", Downloads.Mode.PRIVATE)));
    }

    /** The routes of {@code /object/{bucket}...}: after every named route, so that a route's word is never a bucket. */
    void registerByBucket(Router router) {
        router.delete(PREFIX + "/object/:bucket").handler(handler(this::removeMany));
        router.route(PREFIX + "/object/:bucket/*").method(HttpMethod.POST).method(HttpMethod.PUT).handler(handler(this::upload));
        router.route(PREFIX + "/object/:bucket/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(handler((ctx, path) -> download(ctx, path, null, Downloads.Mode.PRIVATE)));
        router.delete(PREFIX + "/object/:bucket/*").handler(handler(this::delete));
        // any other method: the names are still checked (400) before the route is refused (404)
        router.route(PREFIX + "/object/:bucket/*").handler(handler((ctx, path) -> {
            if (!path.fits(3, ANY, "object")) {
                ctx.next();
                return;
            }
            path.bucketAndName(1);
            notFound(ctx);
        }));
    }

    /** POST (create; {@code x-upsert: true} overwrites) and PUT (update) of an object's bytes, streamed. */
    private void upload(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(3, ANY, "object")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(1);
        String name = path.name(2);
        boolean update = ctx.request().method() == HttpMethod.PUT;
        requests.callers().requireUser(ctx, (c, identity) -> {
            String authorization = c.request().getHeader("Authorization");
            boolean createOnly = !update && !"true".equalsIgnoreCase(c.request().getHeader("x-upsert"));
            uploadChecks.check(c, bucket, authorization,
                    () -> uploads.start(c, bucket, name, Uploader.caller(authorization, createOnly)));
        });
    }

    /** A download as the signed-in caller, or ({@code /public}) as anyone, of public objects only. */
    private void download(RoutingContext ctx, SupabasePath path, String word, Downloads.Mode mode) {
        int at = word == null ? 1 : 2;
        if (!path.fits(at + 2, ANY, word == null ? new String[] {"object"} : new String[] {"object", word})) {
            ctx.next();
            return;
        }
        String locator = path.bucketAndName(at);
        if (mode == Downloads.Mode.PUBLIC) {
            requests.callers().allowAnonymous(ctx, (c, id) -> downloads.serve(c, mode, locator));
        } else {
            requests.callers().requireUser(ctx, (c, id) -> downloads.serve(c, mode, locator));
        }
    }

    /** GET: the object's record in Supabase's shape; HEAD: its headers. {@code /public}: anonymous callers too. */
    private void info(RoutingContext ctx, SupabasePath path, int at, boolean anonymous) {
        boolean fits = at == 3 ? path.fits(5, ANY, "object", "info", anonymous ? "public" : "authenticated")
                : path.fits(4, ANY, "object", "info") && !path.segment(2).equals("public") && !path.segment(2).equals("authenticated");
        if (!fits) {
            ctx.next();
            return;
        }
        String bucketAndName = path.bucketAndName(at);
        Consumer<String> lookup = auth -> (anonymous
                // the catalog's public read route answers anonymous callers for public buckets and objects
                ? metadata.publicObject(auth, rid(ctx), bucketAndName)
                : metadata.object(auth, rid(ctx), bucketAndName))
                .onComplete(r -> requests.answer(ctx, r, reply -> {
                    if (ctx.request().method() == HttpMethod.HEAD) {
                        // HEAD: the object's headers (ETag, type, length, dates, cache-control), no body
                        downloads.head(ctx, anonymous ? Downloads.Mode.PUBLIC : Downloads.Mode.PRIVATE, reply.json());
                    } else {
                        json(ctx, 200, SupabaseShapes.info(reply.json()));
                    }
                }));
        if (anonymous) {
            requests.callers().allowAnonymous(ctx, (c, identity) -> lookup.accept(null));
        } else {
            requests.user(ctx, lookup);
        }
    }

    private void delete(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(3, ANY, "object")) {
            ctx.next();
            return;
        }
        String bucketAndName = path.bucketAndName(1);
        requests.user(ctx, auth -> metadata.deleteObject(auth, rid(ctx), bucketAndName)
                .onComplete(r -> requests.answer(ctx, r, reply -> message(ctx, "Successfully deleted"))));
    }

    /** {@code DELETE /object/{bucket}} with {@code {prefixes: [names]}}: the deleted objects. */
    private void removeMany(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(2, 2, "object")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(1);
        requests.userWithBody(ctx, (auth, body) -> {
            JsonArray prefixes = Fields.strings(body, "prefixes");
            if (prefixes == null) {
                ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "body must have prefixes: [names]");
                return;
            }
            JsonObject request = new JsonObject().put("bucket", SupabasePath.decode(bucket)).put("names", prefixes);
            metadata.deleteObjects(auth, rid(ctx), request).onComplete(r -> requests.answer(ctx, r, reply -> {
                JsonArray out = new JsonArray();
                reply.json().getJsonArray("deleted", new JsonArray()).forEach(f -> out.add(SupabaseShapes.deleted((JsonObject) f)));
                json(ctx, 200, out);
            }));
        });
    }
}
