package io.stowage.gateway.supabase;

import io.stowage.gateway.routing.Locators;
import io.stowage.names.InvalidNameException;
import io.stowage.names.NameRules;
import io.stowage.names.RequestGuard;
import io.stowage.names.RequestPaths;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The segments of a Supabase request's path after {@code /storage/v1}, from the checked, re-encoded
 * path ({@link RequestGuard}), never the raw one: what is passed on is what was checked. Vert.x picks
 * the route from its own normalized path (which folds '//' and decodes its path parameters); the route
 * then reads its bucket and object name here, at the positions its path gives, and defers to the next
 * route ({@link #fits}) when the checked path does not have that shape.
 */
record SupabasePath(List<String> segments) {

    private static final String KEY = "stowage.supabase.path";

    /** This request's segments, read once. */
    static SupabasePath of(RoutingContext ctx) {
        SupabasePath path = ctx.get(KEY);
        if (path == null) {
            path = parse(ctx.<String>get(RequestGuard.CANONICAL_PATH).substring(SupabaseRoutes.PREFIX.length()));
            ctx.put(KEY, path);
        }
        return path;
    }

    /** The segments of a path after the prefix: no leading empty one, one trailing slash ignored. */
    static SupabasePath parse(String afterPrefix) {
        List<String> seg = new ArrayList<>(Arrays.asList(afterPrefix.split("/", -1)));
        if (!seg.isEmpty() && seg.get(0).isEmpty()) {
            seg.remove(0);
        }
        if (!seg.isEmpty() && seg.get(seg.size() - 1).isEmpty()) {
            seg.remove(seg.size() - 1);
        }
        return new SupabasePath(List.copyOf(seg));
    }

    int size() {
        return segments.size();
    }

    String segment(int index) {
        return segments.get(index);
    }

    /**
     * Whether the path has between {@code min} and {@code max} segments and starts with
     * {@code literals} (a null literal: any segment, such as a bucket).
     */
    boolean fits(int min, int max, String... literals) {
        if (size() < min || size() > max || size() < literals.length) {
            return false;
        }
        for (int i = 0; i < literals.length; i++) {
            if (literals[i] != null && !literals[i].equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The bucket segment at {@code index}, checked against the naming rules; still encoded. */
    String bucket(int index) {
        String segment = segments.get(index);
        Locators.bucketOf(segment);
        return segment;
    }

    /** The object name from segment {@code from} on, checked against the naming rules; still encoded. */
    String name(int from) {
        String encoded = String.join("/", segments.subList(from, size()));
        Locators.nameOf(encoded);
        return encoded;
    }

    /** {@code {bucket}/{path}}: the bucket at {@code index} and the name after it, checked; still encoded. */
    String bucketAndName(int index) {
        return bucket(index) + "/" + name(index + 1);
    }

    static String decode(String raw) {
        return RequestPaths.decode(raw, InvalidNameException.OBJECT);
    }

    /** A plain object name as a path: checked, each segment percent-encoded, the slashes kept. */
    static String encodePath(String name) {
        return RequestPaths.encodePath(NameRules.requireObject(Objects.requireNonNull(name)));
    }
}
