package io.stowage.gateway.routing;

import io.stowage.names.InvalidNameException;
import io.stowage.names.NameRules;
import io.stowage.names.RequestGuard;
import io.stowage.names.RequestPaths;
import io.vertx.ext.web.RoutingContext;

/**
 * A {@code {bucket}/{path}} in a request path, decoded and checked against the naming rules: the
 * bucket and object the request is about, and their re-encoded form for the next service's URL.
 */
public record Locators(String bucket, String name) {

    /** The bucket and object after {@code prefix} in this request's (already checked) path. */
    public static Locators of(RoutingContext ctx, String prefix) {
        String canonical = ctx.get(RequestGuard.CANONICAL_PATH);
        String path = canonical != null ? canonical : RequestPaths.canonicalPath(ctx.request().path());
        if (!path.startsWith(prefix)) {
            throw new InvalidNameException(InvalidNameException.OBJECT, "expected " + prefix + "{bucket}/{path}");
        }
        return parse(path.substring(prefix.length()), prefix);
    }

    /** Parses an encoded {@code {bucket}/{path}}. */
    public static Locators parse(String encoded, String expected) {
        int slash = encoded.indexOf('/');
        if (slash <= 0 || slash == encoded.length() - 1) {
            throw new InvalidNameException(InvalidNameException.OBJECT, "expected " + expected + "{bucket}/{path}");
        }
        return new Locators(bucketOf(encoded.substring(0, slash)), nameOf(encoded.substring(slash + 1)));
    }

    /** The bucket an encoded path segment names, checked against the naming rules. */
    public static String bucketOf(String encodedSegment) {
        return NameRules.requireBucket(RequestPaths.decode(encodedSegment, InvalidNameException.BUCKET));
    }

    /** The object an encoded path (segments joined by '/') names, checked against the naming rules. */
    public static String nameOf(String encodedPath) {
        return NameRules.requireObject(RequestPaths.decode(encodedPath, InvalidNameException.OBJECT));
    }

    /** {@code {bucket}/{path}} percent-encoded for another service's URL. */
    public String encoded() {
        return RequestPaths.encodeSegment(bucket) + "/" + RequestPaths.encodePath(name);
    }
}
