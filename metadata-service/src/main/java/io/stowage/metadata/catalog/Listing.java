package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.listing.Cursor;
import io.stowage.metadata.listing.ListingQuery;
import io.stowage.metadata.listing.SortKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists the current objects of a bucket that the caller may read. Keyset pages by default; the
 * offset variant exists for Supabase's API. With a delimiter, names that continue past it fold
 * into common prefixes, and the listing jumps over each prefix with one index seek.
 */
@ApplicationScoped
public class Listing {

    /** What to list, as checked by the edge. */
    public record Request(String bucket, String prefix, String delimiter, String search, String category, String tag,
                          SortKey sort, boolean descending, int limit, Cursor after, Integer offset) {
    }

    @WithSession
    public Uni<Page> list(Caller caller, Request r) {
        return BucketEntity.<BucketEntity>findById(r.bucket())
                .onItem().ifNull().failWith(() -> CatalogException.NotFound.bucket(r.bucket()))
                .chain(bucket -> {
                    boolean everything = caller.admin() || bucket.isPublic;
                    return r.delimiter() == null
                            ? flat(r, everything, caller)
                            : delimited(r, everything, caller, r.after(), new ArrayList<>(), new ArrayList<>());
                });
    }

    private static ListingQuery query(Request r, boolean everything, Caller caller) {
        ListingQuery q = new ListingQuery().bucket(r.bucket()).prefix(r.prefix()).search(r.search())
                .category(r.category()).tag(r.tag()).sort(r.sort(), r.descending());
        return everything ? q : q.readableBy(caller.subject());
    }

    private static Uni<Page> flat(Request r, boolean everything, Caller caller) {
        ListingQuery q = query(r, everything, caller).limit(r.limit() + 1).after(r.after()).offset(r.offset());
        return run(q).map(rows -> {
            boolean more = rows.size() > r.limit();
            List<ObjectEntity> items = more ? rows.subList(0, r.limit()) : rows;
            String next = null;
            if (more && r.offset() == null) {
                ObjectEntity last = items.getLast();
                next = new Cursor(r.sort(), keyOf(last, r.sort()), last.id, false).encode();
            }
            return new Page(List.copyOf(items), List.of(), next);
        });
    }

    /**
     * Fills a page of objects and common prefixes, in name order. Each round fetches what is still
     * missing (plus one, to know whether more follow) and stops at the first common prefix, since
     * the next round seeks past it.
     */
    private static Uni<Page> delimited(Request r, boolean everything, Caller caller, Cursor after,
                                       List<ObjectEntity> items, List<String> prefixes) {
        int missing = r.limit() - items.size() - prefixes.size();
        ListingQuery q = query(r, everything, caller).limit(missing + 1).after(after);
        String base = r.prefix() == null ? "" : r.prefix();
        return run(q).chain(rows -> {
            Cursor position = after;
            for (ObjectEntity row : rows) {
                if (items.size() + prefixes.size() == r.limit()) {
                    return Uni.createFrom().item(new Page(items, prefixes, position.encode()));
                }
                String rest = row.name.substring(base.length());
                int cut = rest.indexOf(r.delimiter());
                if (cut >= 0) {
                    String common = base + rest.substring(0, cut + r.delimiter().length());
                    prefixes.add(common);
                    Cursor skip = ListingQuery.afterCommonPrefix(common);
                    if (skip == null) {
                        return Uni.createFrom().item(new Page(items, prefixes, null));
                    }
                    return delimited(r, everything, caller, skip, items, prefixes);
                }
                items.add(row);
                position = new Cursor(SortKey.NAME, row.name, null, false);
            }
            return Uni.createFrom().item(new Page(items, prefixes, null));
        });
    }

    private static Uni<List<ObjectEntity>> run(ListingQuery query) {
        ListingQuery.Sql sql = query.build();
        return Panache.getSession().chain(s -> {
            var q = s.createNativeQuery(sql.text(), ObjectEntity.class);
            sql.params().forEach(q::setParameter);
            return q.getResultList();
        });
    }

    private static String keyOf(ObjectEntity o, SortKey sort) {
        return switch (sort) {
            case NAME -> o.name;
            case CREATED -> o.createdAt.toString();
            case UPDATED -> o.updatedAt.toString();
            case SIZE -> Long.toString(o.size);
        };
    }
}
