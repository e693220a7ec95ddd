package io.stowage.gateway.supabase;

import io.stowage.gateway.routing.Fields;
import io.stowage.contract.SharedErrorCode;
import static io.stowage.gateway.supabase.SupabaseRequests.handler;
import static io.stowage.gateway.supabase.SupabaseRequests.json;
import static io.stowage.gateway.supabase.SupabaseRequests.rid;
import static io.stowage.gateway.supabase.SupabaseRoutes.PREFIX;

import io.stowage.gateway.client.FileQuery;
import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.errors.ErrorResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code POST /object/list/{bucket}} (Supabase's offset pages, folders beside files) and
 * {@code POST /object/list-v2/{bucket}} (cursor pages of full keys), over the catalog's keyset pages.
 */
@ApplicationScoped
public class ListingRoutes {

    /** Deepest offset served: Supabase's list pages by offset; the catalog pages by key, so offsets are walked. */
    private static final int MAX_LIST_OFFSET = 10_000;

    private final SupabaseRequests requests;
    private final MetadataClient metadata;

    public ListingRoutes(SupabaseRequests requests, MetadataClient metadata) {
        this.requests = requests;
        this.metadata = metadata;
    }

    void register(Router router) {
        router.post(PREFIX + "/object/list/:bucket").handler(handler(this::list));
        router.post(PREFIX + "/object/list-v2/:bucket").handler(handler(this::listV2));
    }

    private void list(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(3, 3, "object", "list")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(2);
        requests.userWithBody(ctx, (auth, body) -> {
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
                ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "offset + limit may be at most " + MAX_LIST_OFFSET
                        + "; use list-v2 with a cursor to go deeper");
                return;
            }
            // folders exist only in name order, as in Supabase; other orders list the files alone
            boolean folders = sort.equals("name") && order.equals("asc");
            FileQuery query = new FileQuery(bucket, prefix, sort, order, Math.min(1000, offset + limit), folders,
                    Fields.string(body, "search"), null);
            collect(ctx, auth, query, offset + limit, new ArrayList<>(), entries -> {
                JsonArray out = new JsonArray();
                entries.stream().skip(offset).limit(limit).forEach(entry -> out.add(entry instanceof String folder
                        ? SupabaseShapes.folder(folder, prefix)
                        : SupabaseShapes.listEntry((JsonObject) entry, prefix)));
                json(ctx, 200, out);
            });
        });
    }

    /** Walks keyset pages until {@code needed} entries (folders as strings, files as records) are in hand. */
    private void collect(RoutingContext ctx, String auth, FileQuery query, int needed, List<Object> entries,
            Consumer<List<Object>> done) {
        metadata.list(auth, rid(ctx), query).onComplete(r -> requests.answer(ctx, r, reply -> {
            List<Object> page = new ArrayList<>();
            reply.json().getJsonArray("prefixes", new JsonArray()).forEach(page::add);
            reply.json().getJsonArray("items", new JsonArray()).forEach(page::add);
            if (query.folders()) {
                // one page of the catalog holds folders and files apart; Supabase lists them together by name
                page.sort(Comparator.comparing(e -> e instanceof String f ? f : ((JsonObject) e).getString("name")));
            }
            entries.addAll(page);
            String next = reply.json().getString("nextCursor");
            if (entries.size() >= needed || next == null) {
                done.accept(entries);
            } else {
                collect(ctx, auth, query.from(next), needed, entries, done);
            }
        }));
    }

    /** {@code POST /object/list-v2/{bucket}}: keyset pages of full keys, folders apart when asked. */
    private void listV2(RoutingContext ctx, SupabasePath path) {
        if (!path.fits(3, 3, "object", "list-v2")) {
            ctx.next();
            return;
        }
        String bucket = path.bucket(2);
        requests.userWithBody(ctx, (auth, body) -> {
            int limit = Math.max(1, Math.min(1000, Fields.integer(body, "limit", 1000)));
            JsonObject sortBy = Fields.object(body, "sortBy", new JsonObject());
            String sort = switch (Fields.string(sortBy, "column", "name")) {
                case "created_at" -> "created";
                case "updated_at" -> "updated";
                default -> "name";
            };
            String order = "desc".equalsIgnoreCase(Fields.string(sortBy, "order", "asc")) ? "desc" : "asc";
            FileQuery query = new FileQuery(bucket, Fields.string(body, "prefix", ""), sort, order, limit,
                    Fields.bool(body, "with_delimiter", false), null, Fields.string(body, "cursor"));
            metadata.list(auth, rid(ctx), query).onComplete(r -> requests.answer(ctx, r, reply -> {
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
}
