package io.stowage.gateway.supabase;

import io.quarkus.security.identity.SecurityIdentity;
import io.stowage.gateway.auth.Callers;
import io.stowage.gateway.auth.ServiceToken;
import io.stowage.gateway.download.Downloads;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.routing.ApiBodies;
import io.stowage.gateway.routing.GatewayConfig;
import io.stowage.gateway.routing.Locators;
import io.stowage.gateway.routing.Proxy;
import io.stowage.gateway.routing.ServiceCalls;
import io.stowage.gateway.routing.ServiceCalls.Reply;
import io.stowage.gateway.routing.UploadChecks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.stowage.names.InvalidNameException;
import io.stowage.names.NameRules;
import io.stowage.names.RequestGuard;
import io.stowage.names.RequestPaths;
import org.jboss.logging.Logger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Supabase Storage's REST API under {@code /storage/v1}, route for route and shape for shape, so that
 * {@code @supabase/storage-js} works against Stowage unchanged. Each route is translated to the
 * native services: the catalog (metadata-service), uploads (upload-service), signed links
 * (signing-service) and streamed downloads (as the native routes do).
 */
@ApplicationScoped
public class SupabaseRoutes {

    static final String PREFIX = "/storage/v1";
    private static final Logger LOG = Logger.getLogger(SupabaseRoutes.class);
    /** What {@code GET /version} answers: the gateway's build version. */
    private static final String VERSION = java.util.Objects.requireNonNullElse(
            SupabaseRoutes.class.getPackage().getImplementationVersion(), "0.1.0-SNAPSHOT");
    private static final String METADATA = "metadata-service";
    private static final String UPLOAD = "upload-service";
    private static final String SIGNING = "signing-service";
    /** upload-service's header naming the owner of an upload a Stowage service sends for a user. */
    private static final String ON_BEHALF_OF = "X-Stowage-Owner";
    /** upload-service's header carrying the user metadata, base64 of a JSON object. */
    private static final String USER_METADATA = "X-Stowage-Metadata";
    /** Supabase's validity of a signed upload URL: two hours. */
    private static final int SIGNED_UPLOAD_SECONDS = 7200;
    /** Roles with full access, as the catalog counts them. */
    private static final Set<String> ADMIN_ROLES = Set.of("storage-admin", "service_role", "stowage-service");
    /** The routing-context key of the signed-in caller, for routes that need more than the token. */
    private static final String IDENTITY = "stowage.identity";

    private final Proxy proxy;
    private final ServiceCalls calls;
    private final Downloads downloads;
    private final GatewayConfig config;
    private final Callers callers;
    private final ServiceToken serviceToken;
    private final UploadChecks uploadChecks;

    public SupabaseRoutes(Proxy proxy, ServiceCalls calls, Downloads downloads, GatewayConfig config, Callers callers,
            ServiceToken serviceToken, UploadChecks uploadChecks) {
        this.uploadChecks = uploadChecks;
        this.proxy = proxy;
        this.calls = calls;
        this.downloads = downloads;
        this.config = config;
        this.callers = callers;
        this.serviceToken = serviceToken;
    }

    void register(@Observes Router router) {
        router.route(PREFIX + "/*").handler(this::dispatch);
    }

    private void dispatch(RoutingContext ctx) {
        ctx.put(ErrorResponse.SUPABASE_STYLE, Boolean.TRUE);
        ctx.request().pause();
        Proxy.requestId(ctx);
        if (!callers.admitIp(ctx)) {
            return;
        }
        // storage-js sends the project key as `apikey`; without an Authorization header it is the token
        String apikey = ctx.request().getHeader("apikey");
        if (ctx.request().getHeader("Authorization") == null && apikey != null && apikey.chars().filter(ch -> ch == '.').count() == 2) {
            ctx.request().headers().set("Authorization", "Bearer " + apikey);
        }
        // the checked, re-encoded path (RequestGuard): segments are passed on, never the raw request path
        String raw = ctx.<String>get(RequestGuard.CANONICAL_PATH).substring(PREFIX.length());
        List<String> seg = new ArrayList<>(Arrays.asList(raw.split("/", -1)));
        if (!seg.isEmpty() && seg.get(0).isEmpty()) {
            seg.remove(0);
        }
        if (!seg.isEmpty() && seg.get(seg.size() - 1).isEmpty()) {
            seg.remove(seg.size() - 1);
        }
        HttpMethod method = ctx.request().method();
        try {
            route(ctx, method, seg);
        } catch (InvalidNameException e) {
            ErrorResponse.sendBeforeBody(ctx, 400, e.code(), e.getMessage());
        }
    }

    private void route(RoutingContext ctx, HttpMethod method, List<String> seg) {
        if (seg.size() == 1 && (method == HttpMethod.GET || method == HttpMethod.HEAD)
                && (seg.get(0).equals("status") || seg.get(0).equals("version"))) {
            // health and version, without a token, as Supabase answers them
            String text = seg.get(0).equals("status") ? "" : VERSION;
            ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8").end(text);
            return;
        }
        if (seg.isEmpty()) {
            notFound(ctx);
        } else if (seg.get(0).equals("bucket")) {
            bucketRoutes(ctx, method, seg);
        } else if (seg.get(0).equals("object")) {
            objectRoutes(ctx, method, seg);
        } else if (seg.get(0).equals("cdn") && method == HttpMethod.DELETE) {
            purge(ctx, seg);
        } else if (seg.get(0).equals("render")) {
            // image-service serves Supabase's render routes at /render/image/...
            // its errors in Supabase's shape, as the other Supabase routes answer them
            callers.allowAnonymous(ctx, (c, identity) -> proxy.forward(c, "image-service", config.imageUrl(),
                    RequestGuard.target(c).substring(PREFIX.length()), true));
        } else {
            notFound(ctx);
        }
    }

    // ---------------------------------------------------------------- CDN purge

    /**
     * {@code DELETE /cdn/{bucket}/{path}}, {@code /cdn/{bucket}} and {@code /cdn/}, with
     * {@code ?transformations=true} to include renditions: metadata-service records the purge as an
     * event (image-service drops the cached renditions, a CDN in front can be purged by a consumer).
     * Only the service role or an admin may purge; Supabase answers {@code {message: "success"}}.
     */
    private void purge(RoutingContext ctx, List<String> seg) {
        JsonObject request = new JsonObject()
                .put("transformations", "true".equalsIgnoreCase(ctx.request().getParam("transformations")));
        if (seg.size() >= 2) {
            request.put("bucket", decode(bucket(seg.get(1))));
        }
        if (seg.size() >= 3) {
            request.put("name", decode(tail(seg, 2)));
        }
        user(ctx, auth -> calls.call(METADATA, HttpMethod.POST, config.metadataUrl() + "/internal/purges", auth, rid(ctx),
                request.toBuffer()).onComplete(r -> answer(ctx, r, reply -> message(ctx, "success"))));
    }

    // ---------------------------------------------------------------- buckets

    private void bucketRoutes(RoutingContext ctx, HttpMethod method, List<String> seg) {
        String base = config.metadataUrl() + "/v1/buckets";
        if (seg.size() == 1 && method == HttpMethod.GET) {
            BucketListing listing;
            try {
                listing = BucketListing.of(ctx.request());
            } catch (IllegalArgumentException e) {
                ErrorResponse.send(ctx, 400, "InvalidRequest", e.getMessage());
                return;
            }
            String url = listing.search() == null ? base : base + "?search=" + encode(listing.search());
            user(ctx, auth -> calls.call(METADATA, HttpMethod.GET, url, auth, rid(ctx), null)
                    .onComplete(r -> answer(ctx, r, reply -> {
                        List<JsonObject> buckets = new ArrayList<>();
                        reply.body().toJsonArray().forEach(b -> buckets.add(SupabaseShapes.bucket((JsonObject) b)));
                        json(ctx, 200, new JsonArray(new ArrayList<>(listing.apply(buckets))));
                    })));
        } else if (seg.size() == 1 && method == HttpMethod.POST) {
            userWithBody(ctx, (auth, body) -> {
                String name = Fields.string(body, "id", Fields.string(body, "name"));
                JsonObject create = new JsonObject().put("name", name).put("public", Fields.bool(body, "public", false));
                if (!sizeAndTypes(ctx, body, create)) {
                    return;
                }
                calls.call(METADATA, HttpMethod.POST, base, auth, rid(ctx), create.toBuffer())
                        .onComplete(r -> answer(ctx, r, reply -> json(ctx, 200, new JsonObject().put("name", name))));
            });
        } else if (seg.size() == 2 && method == HttpMethod.GET) {
            user(ctx, auth -> calls.call(METADATA, HttpMethod.GET, base + "/" + bucket(seg.get(1)), auth, rid(ctx), null)
                    .onComplete(r -> answer(ctx, r, reply -> json(ctx, 200, SupabaseShapes.bucket(reply.json())))));
        } else if (seg.size() == 2 && method == HttpMethod.PUT) {
            userWithBody(ctx, (auth, body) -> {
                JsonObject patch = new JsonObject();
                if (body.containsKey("public")) {
                    patch.put("public", Fields.bool(body, "public"));
                }
                if (!sizeAndTypes(ctx, body, patch)) {
                    return;
                }
                calls.call(METADATA, HttpMethod.PATCH, base + "/" + bucket(seg.get(1)), auth, rid(ctx), patch.toBuffer())
                        .onComplete(r -> answer(ctx, r, reply -> message(ctx, "Successfully updated")));
            });
        } else if (seg.size() == 2 && method == HttpMethod.DELETE) {
            user(ctx, auth -> calls.call(METADATA, HttpMethod.DELETE, base + "/" + bucket(seg.get(1)), auth, rid(ctx), null)
                    .onComplete(r -> answer(ctx, r, reply -> message(ctx, "Successfully deleted"))));
        } else if (seg.size() == 3 && seg.get(2).equals("empty") && method == HttpMethod.POST) {
            user(ctx, auth -> calls.call(METADATA, HttpMethod.POST, base + "/" + bucket(seg.get(1)) + "/empty", auth, rid(ctx), null)
                    .onComplete(r -> answer(ctx, r, reply -> awaitJob(ctx, auth, reply.json().getString("id"), 600))));
        } else {
            notFound(ctx);
        }
    }

    /** Supabase empties a bucket before it answers; Stowage empties in the background, so wait for the job. */
    private void awaitJob(RoutingContext ctx, String auth, String jobId, int triesLeft) {
        calls.call(METADATA, HttpMethod.GET, config.metadataUrl() + "/v1/jobs/" + jobId, auth, rid(ctx), null)
                .onComplete(r -> answer(ctx, r, reply -> {
                    String state = reply.json().getString("state", "");
                    if (state.equals("done")) {
                        message(ctx, "Successfully emptied");
                    } else if (state.equals("failed") || triesLeft <= 0) {
                        ErrorResponse.send(ctx, 500, "InternalError", "emptying the bucket did not finish: "
                                + reply.json().getString("error", state));
                    } else {
                        ctx.vertx().setTimer(100, t -> awaitJob(ctx, auth, jobId, triesLeft - 1));
                    }
                }));
    }

    private boolean sizeAndTypes(RoutingContext ctx, JsonObject body, JsonObject into) {
        try {
            if (body.containsKey("file_size_limit")) {
                into.put("fileSizeLimit", SupabaseShapes.fileSizeLimit(body.getValue("file_size_limit")));
            }
        } catch (IllegalArgumentException e) {
            ErrorResponse.send(ctx, 400, "InvalidRequest", e.getMessage());
            return false;
        }
        if (body.containsKey("allowed_mime_types")) {
            JsonArray types = Fields.strings(body, "allowed_mime_types");
            into.put("allowedMimeTypes", types == null || types.isEmpty() ? null : types);
        }
        return true;
    }

    // ---------------------------------------------------------------- objects

    private void objectRoutes(RoutingContext ctx, HttpMethod method, List<String> seg) {
        String second = seg.size() > 1 ? seg.get(1) : "";
        switch (second) {
            case "list" -> {
                if (method == HttpMethod.POST && seg.size() == 3) {
                    list(ctx, bucket(seg.get(2)));
                } else {
                    notFound(ctx);
                }
            }
            case "list-v2" -> {
                if (method == HttpMethod.POST && seg.size() == 3) {
                    listV2(ctx, bucket(seg.get(2)));
                } else {
                    notFound(ctx);
                }
            }
            case "move", "copy" -> {
                if (method == HttpMethod.POST && seg.size() == 2) {
                    moveOrCopy(ctx, second);
                } else {
                    notFound(ctx);
                }
            }
            case "sign" -> {
                if (seg.size() == 3 && method == HttpMethod.POST) {
                    signMany(ctx, bucket(seg.get(2)));
                } else if (seg.size() >= 4 && method == HttpMethod.POST) {
                    signOne(ctx, bucket(seg.get(2)), tail(seg, 3));
                } else if (seg.size() >= 4 && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
                    signedDownload(ctx, bucket(seg.get(2)), tail(seg, 3));
                } else {
                    notFound(ctx);
                }
            }
            case "upload" -> {
                if (seg.size() >= 5 && seg.get(2).equals("sign") && method == HttpMethod.POST) {
                    signUpload(ctx, bucket(seg.get(3)), tail(seg, 4));
                } else if (seg.size() >= 5 && seg.get(2).equals("sign") && method == HttpMethod.PUT) {
                    signedUpload(ctx, bucket(seg.get(3)), tail(seg, 4));
                } else {
                    notFound(ctx);
                }
            }
            case "info" -> {
                int from = seg.size() > 2 && (seg.get(2).equals("public") || seg.get(2).equals("authenticated")) ? 3 : 2;
                if (seg.size() >= from + 2 && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
                    info(ctx, bucket(seg.get(from)), tail(seg, from + 1), from == 3 && seg.get(2).equals("public"));
                } else {
                    notFound(ctx);
                }
            }
            case "public", "authenticated" -> {
                if (seg.size() >= 4 && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
                    String locator = bucket(seg.get(2)) + "/" + tail(seg, 3);
                    if (second.equals("public")) {
                        callers.allowAnonymous(ctx, (c, id) -> downloads.serve(c, Downloads.Mode.PUBLIC, locator));
                    } else {
                        callers.requireUser(ctx, (c, id) -> downloads.serve(c, Downloads.Mode.PRIVATE, locator));
                    }
                } else {
                    notFound(ctx);
                }
            }
            default -> {
                if (seg.size() == 2 && method == HttpMethod.DELETE) {
                    removeMany(ctx, bucket(seg.get(1)));
                } else if (seg.size() >= 3) {
                    String bucket = bucket(seg.get(1));
                    String path = tail(seg, 2);
                    if (method == HttpMethod.POST || method == HttpMethod.PUT) {
                        upload(ctx, bucket, path, method == HttpMethod.PUT);
                    } else if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
                        callers.requireUser(ctx, (c, id) -> downloads.serve(c, Downloads.Mode.PRIVATE, bucket + "/" + path));
                    } else if (method == HttpMethod.DELETE) {
                        user(ctx, auth -> calls.call(METADATA, HttpMethod.DELETE,
                                config.metadataUrl() + "/v1/files/by-path/" + bucket + "/" + path, auth, rid(ctx), null)
                                .onComplete(r -> answer(ctx, r, reply -> message(ctx, "Successfully deleted"))));
                    } else {
                        notFound(ctx);
                    }
                } else {
                    notFound(ctx);
                }
            }
        }
    }

    /** POST (create; {@code x-upsert: true} overwrites) and PUT (update) of an object's bytes, streamed. */
    private void upload(RoutingContext ctx, String bucket, String path, boolean update) {
        callers.requireUser(ctx, (c, identity) -> {
            String authorization = c.request().getHeader("Authorization");
            boolean createOnly = !update && !"true".equalsIgnoreCase(c.request().getHeader("x-upsert"));
            uploadChecks.check(c, bucket, authorization,
                    () -> startUpload(c, bucket, path, new Uploader(authorization, null, createOnly)));
        });
    }

    /**
     * Who an upload is sent to upload-service as: the caller's own token, or, for a signed upload URL,
     * the gateway's service token with the user who signed it as the owner.
     */
    private record Uploader(String authorization, String owner, boolean createOnly) {
    }

    private void startUpload(RoutingContext ctx, String bucket, String path, Uploader as) {
        HttpServerRequest in = ctx.request();
        String contentType = in.getHeader("Content-Type");
        String url = config.uploadUrl() + "/v1/objects/" + bucket + "/" + path;
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            String boundary = StreamingForm.boundary(contentType);
            if (boundary == null) {
                ErrorResponse.send(ctx, 400, "InvalidRequest", "a multipart/form-data body needs a boundary");
                return;
            }
            // storage-js sends Blobs and FormData as a form: cacheControl, metadata, then the file part
            StreamingForm.read(in, boundary, new StreamingForm.Listener() {
                @Override
                public void file(Map<String, String> fields, String fileType, ReadStream<Buffer> content) {
                    String cacheControl = fields.get("cacheControl");
                    streamUpload(ctx, url, as, fileType, null, cacheControl == null || cacheControl.isBlank() ? null
                            : "max-age=" + cacheControl.trim(), fields.get("metadata"), content);
                }

                @Override
                public void refused(String reason) {
                    refuseBody(ctx, reason);
                }
            });
            return;
        }
        String metadata = in.getHeader("x-metadata");
        if (metadata != null) {
            try {
                metadata = new String(Base64.getDecoder().decode(metadata.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                refuseBody(ctx, "x-metadata must be base64-encoded JSON");
                return;
            }
        }
        streamUpload(ctx, url, as, contentType, in.getHeader("Content-Length"), in.getHeader("Cache-Control"), metadata, in);
    }

    private void streamUpload(RoutingContext ctx, String url, Uploader as, String contentType, String length,
            String cacheControl, String metadata, ReadStream<Buffer> body) {
        if (metadata != null && !metadata.isBlank()) {
            try {
                // user metadata is a JSON object (storage-js sends JSON.stringify of it)
                new JsonObject(metadata);
            } catch (DecodeException | ClassCastException e) {
                refuseBody(ctx, "metadata must be a JSON object");
                return;
            }
        }
        boolean createOnly = as.createOnly();
        proxy.watch(UPLOAD, proxy.open(UPLOAD, new RequestOptions().setMethod(HttpMethod.PUT).setAbsoluteURI(url)).compose(out -> {
            out.putHeader("Authorization", as.authorization());
            if (as.owner() != null) {
                out.putHeader(ON_BEHALF_OF, as.owner());
            }
            if (metadata != null && !metadata.isBlank()) {
                out.putHeader(USER_METADATA, Base64.getEncoder().encodeToString(metadata.getBytes(StandardCharsets.UTF_8)));
            }
            out.putHeader(Proxy.REQUEST_ID, rid(ctx));
            out.putHeader("Content-Type", contentType == null ? "application/octet-stream" : contentType);
            if (length != null) {
                out.putHeader("Content-Length", length);
            } else {
                out.setChunked(true);
            }
            if (cacheControl != null) {
                out.putHeader("Cache-Control", cacheControl);
            }
            if (createOnly) {
                out.putHeader("If-None-Match", "*");
            }
            Future<HttpClientResponse> sent = out.send(body);
            body.resume();
            return sent;
        })).compose(response -> response.body().map(b -> new Reply(response.statusCode(), response.getHeader("Content-Type"), b)))
                .onComplete(r -> answer(ctx, r, reply -> json(ctx, 200, SupabaseShapes.key(reply.json()))));
    }

    private void info(RoutingContext ctx, String bucket, String path, boolean anonymous) {
        // the catalog's public read route answers anonymous callers for public buckets and objects
        String route = anonymous ? "/v1/files/by-path/" : "/internal/objects/by-path/";
        Consumer<String> lookup = auth -> calls.call(METADATA, HttpMethod.GET,
                config.metadataUrl() + route + bucket + "/" + path, auth, rid(ctx), null)
                .onComplete(r -> answer(ctx, r, reply -> {
                    if (ctx.request().method() == HttpMethod.HEAD) {
                        // HEAD: the object's headers (ETag, type, length, dates, cache-control), no body
                        downloads.head(ctx, anonymous ? Downloads.Mode.PUBLIC : Downloads.Mode.PRIVATE, reply.json());
                    } else {
                        json(ctx, 200, SupabaseShapes.info(reply.json()));
                    }
                }));
        if (anonymous) {
            callers.allowAnonymous(ctx, (c, identity) -> lookup.accept(null));
        } else {
            user(ctx, lookup);
        }
    }

    private void removeMany(RoutingContext ctx, String bucket) {
        userWithBody(ctx, (auth, body) -> {
            JsonArray prefixes = Fields.strings(body, "prefixes");
            if (prefixes == null) {
                ErrorResponse.send(ctx, 400, "InvalidRequest", "body must have prefixes: [names]");
                return;
            }
            JsonObject request = new JsonObject().put("bucket", decode(bucket)).put("names", prefixes);
            calls.call(METADATA, HttpMethod.POST, config.metadataUrl() + "/v1/files/delete", auth, rid(ctx), request.toBuffer())
                    .onComplete(r -> answer(ctx, r, reply -> {
                        JsonArray out = new JsonArray();
                        reply.json().getJsonArray("deleted", new JsonArray()).forEach(f -> out.add(SupabaseShapes.deleted((JsonObject) f)));
                        json(ctx, 200, out);
                    }));
        });
    }

    /** Deepest offset served: Supabase's list pages by offset; the catalog pages by key, so offsets are walked. */
    private static final int MAX_LIST_OFFSET = 10_000;

    private void list(RoutingContext ctx, String bucket) {
        userWithBody(ctx, (auth, body) -> {
            String given = Fields.string(body, "prefix", "");
            String prefix = !given.isEmpty() && !given.endsWith("/") ? given + "/" : given;
            JsonObject sortBy = Fields.object(body, "sortBy", new JsonObject());
            String sort = switch (Fields.string(sortBy, "column", "name")) {
                case "created_at" -> "created";
                case "updated_at", "last_accessed_at" -> "updated";
                default -> "name";
            };
            String order = "desc".equalsIgnoreCase(Fields.string(sortBy, "order", "asc")) ? "desc" : "asc";
            int limit = Math.max(1, Math.min(1000, Fields.integer(body, "limit", 100)));
            int offset = Math.max(0, Fields.integer(body, "offset", 0));
            if (offset + limit > MAX_LIST_OFFSET) {
                ErrorResponse.send(ctx, 400, "InvalidRequest", "offset + limit may be at most " + MAX_LIST_OFFSET
                        + "; use list-v2 with a cursor to go deeper");
                return;
            }
            // folders exist only in name order, as in Supabase; other orders list the files alone
            boolean folders = sort.equals("name") && order.equals("asc");
            StringBuilder query = new StringBuilder(config.metadataUrl()).append("/v1/files?bucket=").append(bucket)
                    .append("&prefix=").append(encode(prefix)).append("&sort=").append(sort).append("&order=").append(order)
                    .append("&limit=").append(Math.min(1000, offset + limit));
            if (folders) {
                query.append("&delimiter=%2F");
            }
            String search = Fields.string(body, "search");
            if (search != null && !search.isEmpty()) {
                query.append("&search=").append(encode(search));
            }
            collect(ctx, auth, query.toString(), null, offset + limit, new ArrayList<>(), entries -> {
                JsonArray out = new JsonArray();
                entries.stream().skip(offset).limit(limit).forEach(entry -> out.add(entry instanceof String folder
                        ? SupabaseShapes.folder(folder, prefix)
                        : SupabaseShapes.listEntry((JsonObject) entry, prefix)));
                json(ctx, 200, out);
            });
        });
    }

    /** Walks keyset pages until {@code needed} entries (folders as strings, files as records) are in hand. */
    private void collect(RoutingContext ctx, String auth, String query, String cursor, int needed, List<Object> entries,
            Consumer<List<Object>> done) {
        String url = cursor == null ? query : query + "&cursor=" + encode(cursor);
        calls.call(METADATA, HttpMethod.GET, url, auth, rid(ctx), null).onComplete(r -> answer(ctx, r, reply -> {
            List<Object> page = new ArrayList<>();
            reply.json().getJsonArray("prefixes", new JsonArray()).forEach(page::add);
            reply.json().getJsonArray("items", new JsonArray()).forEach(page::add);
            if (query.contains("&delimiter=")) {
                // one page of the catalog holds folders and files apart; Supabase lists them together by name
                page.sort(java.util.Comparator.comparing(e -> e instanceof String f ? f : ((JsonObject) e).getString("name")));
            }
            entries.addAll(page);
            String next = reply.json().getString("nextCursor");
            if (entries.size() >= needed || next == null) {
                done.accept(entries);
            } else {
                collect(ctx, auth, query, next, needed, entries, done);
            }
        }));
    }

    /** {@code POST /object/list-v2/{bucket}}: keyset pages of full keys, folders apart when asked. */
    private void listV2(RoutingContext ctx, String bucket) {
        userWithBody(ctx, (auth, body) -> {
            int limit = Math.max(1, Math.min(1000, Fields.integer(body, "limit", 1000)));
            JsonObject sortBy = Fields.object(body, "sortBy", new JsonObject());
            String sort = switch (Fields.string(sortBy, "column", "name")) {
                case "created_at" -> "created";
                case "updated_at" -> "updated";
                default -> "name";
            };
            String order = "desc".equalsIgnoreCase(Fields.string(sortBy, "order", "asc")) ? "desc" : "asc";
            StringBuilder query = new StringBuilder(config.metadataUrl()).append("/v1/files?bucket=").append(bucket)
                    .append("&prefix=").append(encode(Fields.string(body, "prefix", "")))
                    .append("&limit=").append(limit).append("&sort=").append(sort).append("&order=").append(order);
            if (Fields.bool(body, "with_delimiter", false)) {
                query.append("&delimiter=%2F");
            }
            String cursor = Fields.string(body, "cursor");
            if (cursor != null && !cursor.isEmpty()) {
                query.append("&cursor=").append(encode(cursor));
            }
            calls.call(METADATA, HttpMethod.GET, query.toString(), auth, rid(ctx), null)
                    .onComplete(r -> answer(ctx, r, reply -> {
                        JsonArray folders = new JsonArray();
                        reply.json().getJsonArray("prefixes", new JsonArray())
                                .forEach(p -> folders.add(new JsonObject().put("name", p).put("key", p)));
                        JsonArray objects = new JsonArray();
                        reply.json().getJsonArray("items", new JsonArray()).forEach(f -> {
                            JsonObject entry = SupabaseShapes.listEntry((JsonObject) f, "");
                            objects.add(entry.put("key", entry.getString("name")).put("version", ((JsonObject) f).getString("versionId")));
                        });
                        String next = reply.json().getString("nextCursor");
                        JsonObject out = new JsonObject().put("hasNext", next != null).put("folders", folders).put("objects", objects);
                        if (next != null) {
                            out.put("nextCursor", next);
                        }
                        json(ctx, 200, out);
                    }));
        });
    }

    private void moveOrCopy(RoutingContext ctx, String operation) {
        userWithBody(ctx, (auth, body) -> {
            String bucket = Fields.string(body, "bucketId");
            String source = Fields.string(body, "sourceKey");
            String destination = Fields.string(body, "destinationKey");
            if (bucket == null || source == null || destination == null) {
                ErrorResponse.send(ctx, 400, "InvalidRequest", "bucketId, sourceKey and destinationKey are required");
                return;
            }
            JsonObject request = new JsonObject().put("bucket", bucket).put("name", source)
                    .put("destinationBucket", Fields.string(body, "destinationBucket", bucket))
                    .put("destinationName", destination)
                    .put("overwrite", "true".equalsIgnoreCase(ctx.request().getHeader("x-upsert")));
            if (body.getValue("sourceVersionId") != null) {
                request.put("sourceVersionId", body.getValue("sourceVersionId"));
            }
            // copy only: x-metadata (base64 of a JSON object) is the copy's own user metadata
            String ownHeader = ctx.request().getHeader("x-metadata");
            if (operation.equals("copy") && ownHeader != null) {
                JsonObject own = userMetadata(ownHeader);
                if (own == null) {
                    ErrorResponse.send(ctx, 400, "InvalidRequest", "x-metadata must be base64-encoded JSON of an object");
                    return;
                }
                request.put("metadata", own);
            }
            // copy only: copyMetadata false drops the user metadata and applies the given overrides
            if (operation.equals("copy") && Boolean.FALSE.equals(body.getValue("copyMetadata"))) {
                request.put("copyMetadata", false);
                JsonObject overrides = body.getValue("metadata") instanceof JsonObject given ? given : new JsonObject();
                if (overrides.getValue("cacheControl") != null) {
                    request.put("cacheControl", overrides.getValue("cacheControl"));
                }
                if (overrides.getValue("mimetype") != null) {
                    request.put("contentType", overrides.getValue("mimetype"));
                }
                if (overrides.getValue("contentEncoding") != null) {
                    request.put("contentEncoding", overrides.getValue("contentEncoding"));
                }
            }
            calls.call(METADATA, HttpMethod.POST, config.metadataUrl() + "/v1/files/" + operation, auth, rid(ctx), request.toBuffer())
                    .onComplete(r -> answer(ctx, r, reply -> {
                        if (operation.equals("move")) {
                            message(ctx, "Successfully moved");
                        } else {
                            json(ctx, 200, SupabaseShapes.key(reply.json()));
                        }
                    }));
        });
    }

    // ---------------------------------------------------------------- signed links

    private void signOne(RoutingContext ctx, String bucket, String path) {
        userWithBody(ctx, (auth, body) -> {
            int expiresIn = Fields.integer(body, "expiresIn", 0);
            if (expiresIn <= 0) {
                ErrorResponse.send(ctx, 400, "InvalidRequest", "expiresIn must be a positive number of seconds");
                return;
            }
            Object transform = body.getValue("transform");
            sign(ctx, auth, bucket, path, expiresIn, transform instanceof JsonObject t && !t.isEmpty() ? t : null).onComplete(r -> {
                if (r.succeeded() && r.result().signedUrl() != null) {
                    json(ctx, 200, new JsonObject().put("signedURL", r.result().signedUrl()));
                } else if (r.succeeded()) {
                    ErrorResponse.relay(ctx, r.result().status(), r.result().error());
                } else {
                    proxy.failed(ctx, SIGNING, r.cause());
                }
            });
        });
    }

    private void signMany(RoutingContext ctx, String bucket) {
        userWithBody(ctx, (auth, body) -> {
            int expiresIn = Fields.integer(body, "expiresIn", 0);
            JsonArray paths = Fields.strings(body, "paths");
            if (expiresIn <= 0 || paths == null) {
                ErrorResponse.send(ctx, 400, "InvalidRequest", "expiresIn (seconds) and paths are required");
                return;
            }
            List<Future<Signed>> all = new ArrayList<>();
            paths.forEach(p -> all.add(sign(ctx, auth, bucket, encodePath(String.valueOf(p)), expiresIn, null)));
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
     * Checks that the caller may read the object, then has signing-service sign a download token for
     * it; with a transform, an image token with that rendition signed in (Supabase embeds the
     * transformations in the token, so whoever holds the link cannot ask for another rendition).
     */
    private Future<Signed> sign(RoutingContext ctx, String auth, String bucket, String path, int expiresIn, JsonObject transform) {
        String rendition;
        try {
            rendition = renderQuery(transform);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(new Signed(null, 400, new JsonObject().put("statusCode", 400)
                    .put("error", "InvalidRequest").put("message", e.getMessage()).toBuffer()));
        }
        return calls.call(METADATA, HttpMethod.GET, config.metadataUrl() + "/internal/objects/by-path/" + bucket + "/" + path,
                auth, rid(ctx), null).compose(meta -> {
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
                    return gatewayToken().compose(gateway -> calls.call(SIGNING, HttpMethod.POST, config.signingUrl() + "/v1/sign",
                            gateway, rid(ctx), request.toBuffer())).map(signed -> signed.ok()
                                    // the plain name, as Supabase answers: storage-js runs encodeURI over it
                                    ? new Signed(route + object.getString("bucket") + "/" + object.getString("name")
                                            + "?token=" + signed.json().getString("token"), 200, null)
                                    : new Signed(null, signed.status(), signed.body()));
                });
    }

    /** Supabase's transform options and the JSON type each takes. */
    private static final Map<String, java.util.function.Predicate<Object>> TRANSFORM_OPTIONS = Map.of(
            "width", v -> v instanceof Integer || v instanceof Long,
            "height", v -> v instanceof Integer || v instanceof Long,
            "quality", v -> v instanceof Integer || v instanceof Long,
            "resize", v -> v instanceof String,
            "format", v -> v instanceof String,
            "gravity", v -> v instanceof String,
            "x_offset", v -> v instanceof Number,
            "y_offset", v -> v instanceof Number);

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
            query.append(query.isEmpty() ? "" : "&").append(option).append('=').append(encode(String.valueOf(value)));
        }
        return query.isEmpty() ? null : query.toString();
    }

    /**
     * {@code POST /object/upload/sign/{bucket}/{path}}: a token with which anyone may upload that one
     * object for two hours, as the signed-in caller. The caller's right is checked now, as Supabase
     * does: the bucket must be theirs to see, and with {@code x-upsert} an existing object they can
     * see must be theirs (or they an admin: 403 otherwise). An object they cannot see is not there
     * for them: the token is a create-only one, whatever {@code x-upsert} said. The upload itself is
     * then made by the gateway on their behalf.
     */
    private void signUpload(RoutingContext ctx, String bucket, String path) {
        userWithBody(ctx, (auth, body) -> {
            boolean upsert = "true".equalsIgnoreCase(ctx.request().getHeader("x-upsert"));
            SecurityIdentity identity = ctx.get(IDENTITY);
            String owner = identity.getPrincipal().getName();
            boolean admin = ADMIN_ROLES.stream().anyMatch(identity::hasRole);
            calls.call(METADATA, HttpMethod.GET, config.metadataUrl() + "/v1/buckets/" + bucket, auth, rid(ctx), null)
                    // the object as the caller may see it: one they may not read is, to them, not there
                    // (asking as the gateway would tell them that someone else's private object exists)
                    .onComplete(found -> answer(ctx, found, ignored -> calls.call(METADATA, HttpMethod.GET,
                                    config.metadataUrl() + "/internal/objects/by-path/" + bucket + "/" + path, auth, rid(ctx), null)
                            .onComplete(existing -> {
                                if (existing.succeeded() && (existing.result().status() == 404 || existing.result().status() == 403)) {
                                    // nothing the caller can see: signed as a create, so an object they
                                    // cannot see is neither revealed now nor overwritten later (its upload
                                    // meets the existing name as any create does: 409)
                                    issueUploadToken(ctx, bucket, path, false, owner);
                                } else {
                                    answer(ctx, existing, object -> {
                                        if (upsert && !admin && (owner == null || !owner.equals(object.json().getString("owner")))) {
                                            ErrorResponse.send(ctx, 403, "Forbidden",
                                                    "only the owner or an admin may overwrite '" + decode(path) + "'");
                                        } else {
                                            issueUploadToken(ctx, bucket, path, upsert, owner);
                                        }
                                    });
                                }
                            })));
        });
    }

    private void issueUploadToken(RoutingContext ctx, String bucket, String path, boolean upsert, String owner) {
        JsonObject request = new JsonObject().put("operation", "stowage:upload").put("bucket", decode(bucket))
                .put("name", decode(path)).put("upsert", upsert).put("owner", owner).put("expiresIn", SIGNED_UPLOAD_SECONDS);
        gatewayToken().compose(gateway -> calls.call(SIGNING, HttpMethod.POST, config.signingUrl() + "/v1/sign", gateway, rid(ctx),
                request.toBuffer())).onComplete(signed -> answer(ctx, signed, reply -> json(ctx, 200,
                        new JsonObject().put("url", reply.json().getString("url")).put("token", reply.json().getString("token")))));
    }

    /**
     * {@code PUT /object/upload/sign/{bucket}/{path}?token=}: the token is the whole authorization. The
     * body goes to upload-service as the gateway, owned by the user who signed the URL; without upsert in
     * the token an existing object is a 409.
     */
    private void signedUpload(RoutingContext ctx, String bucket, String path) {
        ctx.request().pause();
        String token = ctx.request().getParam("token");
        if (token == null || token.isBlank()) {
            ErrorResponse.send(ctx, 400, "InvalidRequest", "querystring must have required property 'token'");
            return;
        }
        JsonObject verify = new JsonObject().put("token", token).put("scope", "upload")
                .put("bucket", decode(bucket)).put("name", decode(path));
        gatewayToken().compose(gateway -> calls.call(SIGNING, HttpMethod.POST, config.signingUrl() + "/v1/verify", gateway,
                rid(ctx), verify.toBuffer()).map(reply -> new Verified(gateway, reply))).onComplete(r -> {
                    if (r.failed()) {
                        proxy.failed(ctx, SIGNING, r.cause());
                        return;
                    }
                    Reply reply = r.result().reply();
                    if (!reply.ok()) {
                        ErrorResponse.relay(ctx, reply.status(), reply.body());
                        return;
                    }
                    String gateway = r.result().gateway();
                    Uploader as = new Uploader(gateway, reply.json().getString("owner"),
                            !reply.json().getBoolean("upsert", false));
                    uploadChecks.check(ctx, bucket, gateway, () -> startUpload(ctx, bucket, path, as));
                });
    }

    private record Verified(String gateway, Reply reply) {
    }

    /** The JSON object in an {@code x-metadata} header (base64), or null when it is not one. */
    private static JsonObject userMetadata(String header) {
        try {
            return new JsonObject(new String(Base64.getDecoder().decode(header.trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            return null;
        }
    }

    /** A 400 before the body was read. */
    private static void refuseBody(RoutingContext ctx, String reason) {
        ErrorResponse.sendBeforeBody(ctx, 400, "InvalidRequest", reason);
    }

    /** {@code GET /object/sign/{bucket}/{path}?token=}: the token is the whole authorization. */
    private void signedDownload(RoutingContext ctx, String bucket, String path) {
        String token = ctx.request().getParam("token");
        if (token == null || token.isBlank()) {
            ErrorResponse.send(ctx, 400, "InvalidRequest", "querystring must have required property 'token'");
            return;
        }
        JsonObject verify = new JsonObject().put("token", token).put("scope", "download")
                .put("bucket", decode(bucket)).put("name", decode(path));
        gatewayToken().compose(gateway -> calls.call(SIGNING, HttpMethod.POST, config.signingUrl() + "/v1/verify", gateway,
                rid(ctx), verify.toBuffer())).onComplete(r -> answer(ctx, r,
                        reply -> downloads.serve(ctx, Downloads.Mode.SIGNED, bucket + "/" + path)));
    }

    private Future<String> gatewayToken() {
        Promise<String> promise = Promise.promise();
        serviceToken.authorization().subscribe().with(promise::complete, promise::fail);
        return promise.future();
    }

    // ---------------------------------------------------------------- plumbing

    private void user(RoutingContext ctx, Consumer<String> then) {
        callers.requireUser(ctx, (c, identity) -> {
            c.request().resume();
            then.accept(c.request().getHeader("Authorization"));
        });
    }

    private interface WithBody {
        void accept(String authorization, JsonObject body);
    }

    private void userWithBody(RoutingContext ctx, WithBody then) {
        if (!ApiBodies.withinLimit(ctx, config.maxJsonBody())) {
            return;
        }
        callers.requireUser(ctx, (c, identity) -> {
            c.put(IDENTITY, identity);
            Future<Buffer> body = c.request().body();
            c.request().resume();
            body.onFailure(e -> ErrorResponse.send(c, 400, "InvalidRequest", "the request body could not be read"))
                    .onSuccess(buffer -> {
                        JsonObject json;
                        try {
                            json = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
                        } catch (DecodeException | ClassCastException e) {
                            ErrorResponse.send(c, 400, "InvalidRequest", "the body is not a JSON object");
                            return;
                        }
                        try {
                            then.accept(c.request().getHeader("Authorization"), json);
                        } catch (Fields.WrongType | InvalidNameException e) {
                            ErrorResponse.send(c, 400, e instanceof InvalidNameException n ? n.code() : "InvalidRequest", e.getMessage());
                        }
                    });
        });
    }

    /** Runs {@code then} on a successful reply; relays a refusal in Supabase's shape; 503/504 when unreachable. */
    private void answer(RoutingContext ctx, io.vertx.core.AsyncResult<Reply> result, Consumer<Reply> then) {
        if (result.failed()) {
            proxy.failed(ctx, "upstream", result.cause());
        } else if (!result.result().ok()) {
            ErrorResponse.relay(ctx, result.result().status(), result.result().body());
        } else {
            try {
                then.accept(result.result());
            } catch (RuntimeException e) {
                // an answer of an unexpected shape: still answered, never left open
                LOG.errorf(e, "[%s] could not read %s's answer", rid(ctx), "upstream");
                ErrorResponse.send(ctx, 502, "UpstreamUnavailable", "an upstream service gave an answer of an unexpected shape");
            }
        }
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        String encoded = body instanceof JsonArray array ? array.encode() : ((JsonObject) body).encode();
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(encoded);
    }

    private static void message(RoutingContext ctx, String message) {
        json(ctx, 200, new JsonObject().put("message", message));
    }

    private static void notFound(RoutingContext ctx) {
        ErrorResponse.send(ctx, 404, "NotFound", "Route " + ctx.request().method() + ":" + ctx.request().path() + " not found");
    }

    private static String rid(RoutingContext ctx) {
        return Proxy.requestId(ctx);
    }

    /** The object name from segment {@code from} on, checked against the naming rules; still encoded. */
    private static String tail(List<String> seg, int from) {
        String encoded = String.join("/", seg.subList(from, seg.size()));
        Locators.nameOf(encoded);
        return encoded;
    }

    /** A bucket segment, checked against the naming rules; still encoded. */
    private static String bucket(String segment) {
        Locators.bucketOf(segment);
        return segment;
    }

    private static String decode(String raw) {
        return RequestPaths.decode(raw, InvalidNameException.OBJECT);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A plain object name as a path: checked, each segment percent-encoded, the slashes kept. */
    private static String encodePath(String name) {
        return RequestPaths.encodePath(NameRules.requireObject(name));
    }
}
