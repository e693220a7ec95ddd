package io.stowage.gateway.download;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Tells {@link ObjectLookups} about every write that passes through the gateway, so that reads
 * through the same gateway never see an answer kept from before it: when a POST, PUT, PATCH or DELETE
 * succeeds, the kept lookups of the bucket its path names are dropped, or all of them when the path
 * names no bucket (moves, copies, batch deletes, uploads by id), before the answer's headers are sent.
 */
@ApplicationScoped
public class WritesSeen {

    /** POSTs that read only: they need not drop anything. */
    private static final Set<String> READ_ONLY_POSTS = Set.of("/v1/files/presigned-url", "/v1/files/signed-urls",
            "/v1/files/signed-upload-url");
    /** Supabase's {@code /storage/v1/object/{word}/...} routes whose next segment is the bucket. */
    private static final Set<String> SUPABASE_OBJECT_WORDS = Set.of("public", "authenticated", "sign", "list", "info",
            "upload");

    private final ObjectLookups lookups;

    public WritesSeen(ObjectLookups lookups) {
        this.lookups = lookups;
    }

    void register(@Observes Router router) {
        // before every route of the gateway
        router.route().order(-100).handler(this::watch);
    }

    private void watch(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
                || method == HttpMethod.DELETE) {
            String path = ctx.request().path();
            if (!READ_ONLY_POSTS.contains(path) && !(method == HttpMethod.POST && path.endsWith("/signed-url"))) {
                boolean bucketRoute = bucketRoute(path);
                ctx.addHeadersEndHandler(v -> {
                    if (ctx.response().getStatusCode() < 400) {
                        if (bucketRoute) {
                            lookups.bucketChanged(bucketOf(path));
                        } else {
                            lookups.written(bucketOf(path));
                        }
                    }
                });
            }
        }
        ctx.next();
    }

    /** A route that changes buckets themselves (create, update, empty, delete) rather than objects. */
    static boolean bucketRoute(String path) {
        return path.equals("/v1/buckets") || path.startsWith("/v1/buckets/")
                || path.equals("/storage/v1/bucket") || path.startsWith("/storage/v1/bucket/");
    }

    /** The bucket a write's path names, as download paths carry it (still encoded); null when none. */
    static String bucketOf(String path) {
        String[] s = path.split("/", -1);
        // ["", "v1", "objects", bucket, ...], ["", "v1", "buckets", bucket, ...], ["", "v1", "signed", bucket, ...]
        if (s.length >= 4 && s[1].equals("v1") && (s[2].equals("objects") || s[2].equals("buckets") || s[2].equals("signed"))) {
            return s[3];
        }
        if (s.length >= 5 && s[1].equals("v1") && s[2].equals("files") && s[3].equals("by-path")) {
            return s[4];
        }
        if (s.length >= 5 && s[1].equals("storage") && s[2].equals("v1")) {
            if (s[3].equals("bucket")) {
                return s[4];
            }
            if (s[3].equals("object")) {
                if (s[4].equals("move") || s[4].equals("copy")) {
                    return null;
                }
                if (!SUPABASE_OBJECT_WORDS.contains(s[4])) {
                    return s[4];
                }
                // /object/upload/sign/{bucket}/...
                int at = s[4].equals("upload") && s.length >= 7 && s[5].equals("sign") ? 6 : 5;
                return s.length > at ? s[at] : null;
            }
        }
        return null;
    }
}
