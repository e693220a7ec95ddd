package io.stowage.gateway.routing;

import io.stowage.contract.ErrorBody;
import io.stowage.contract.SharedErrorCode;
import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.client.SigningClient;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.gateway.signed.SignedLinks;
import io.stowage.gateway.upstream.Proxy;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.stowage.names.InvalidNameException;
import io.stowage.names.NameRules;
import io.stowage.names.RequestPaths;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code POST /v1/files/signed-urls}: download links of 1 to 1,000 files at once, named by
 * {@code {ids}} or by {@code {bucket, names}}, with {@code expiresIn} (and {@code download}) for all.
 * Each file is looked up as the caller (the catalog decides what they may read), at most
 * {@value #IN_FLIGHT} lookups at a time so that one batch cannot flood metadata-service; the readable
 * ones are signed in one signing-service batch. The answer {@code {"items": [...]}} has one item per
 * file, in order: {@code {id | bucket, name, url, expiresAt}} or {@code {id | bucket, name, error}} with
 * the error shape, so one file the caller may not read never fails the others.
 */
@ApplicationScoped
public class SignedUrlBatches {

    static final int MAX_ITEMS = 1000;
    /** Lookups of one batch sent to the catalog at the same time. */
    static final int IN_FLIGHT = 16;

    private final MetadataClient metadata;
    private final SigningClient signing;
    private final SignedLinks links;
    private final Proxy proxy;

    public SignedUrlBatches(MetadataClient metadata, SigningClient signing, SignedLinks links, Proxy proxy) {
        this.metadata = metadata;
        this.signing = signing;
        this.links = links;
        this.proxy = proxy;
    }

    /** One file of the batch: how the caller named it, and how it is looked up (null: refused as named). */
    private record Item(JsonObject named, Supplier<Future<Reply>> lookup, Reply refused) {
    }

    void sign(RoutingContext ctx, String authorization, JsonObject body) {
        int expiresIn = SignedUrlRequests.expiresIn(body);
        String download = SignedUrlRequests.download(body);
        List<Item> items = items(authorization, Proxy.requestId(ctx), body);
        List<Supplier<Future<Reply>>> lookups = items.stream()
                .map(item -> item.lookup() != null ? item.lookup() : (Supplier<Future<Reply>>) () -> Future.succeededFuture(item.refused()))
                .toList();
        bounded(lookups, IN_FLIGHT).onComplete(done -> {
            List<AsyncResult<Reply>> found = done.result();
            JsonArray requests = new JsonArray();
            List<Integer> signedAt = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                AsyncResult<Reply> one = found.get(i);
                if (one.succeeded() && one.result().ok()) {
                    Reply current = SigningRoutes.notCurrent(one.result().json(), items.get(i).named().getString("id", ""));
                    if (current == null) {
                        JsonObject object = one.result().json();
                        signedAt.add(i);
                        requests.add(SigningRoutes.downloadToken(object.getString("bucket"), object.getString("name"), expiresIn));
                    } else {
                        found.set(i, Future.succeededFuture(current));
                    }
                }
            }
            Future<Reply> signed = requests.isEmpty() ? Future.succeededFuture(null) : signing.signBatch(Proxy.requestId(ctx), requests);
            signed.onFailure(e -> proxy.failed(ctx, SigningClient.SERVICE, e)).onSuccess(batch -> {
                if (batch != null && !batch.ok()) {
                    ErrorResponse.relay(ctx, batch.status(), batch.body());
                    return;
                }
                JsonArray results = batch == null ? new JsonArray() : batch.json().getJsonArray("results", new JsonArray());
                JsonArray out = new JsonArray();
                for (int i = 0; i < items.size(); i++) {
                    JsonObject item = items.get(i).named().copy();
                    int at = signedAt.indexOf(i);
                    if (at >= 0) {
                        JsonObject result = results.getJsonObject(at);
                        JsonObject object = found.get(i).result().json();
                        if (result.containsKey("error")) {
                            item.put("error", result.getJsonObject("error"));
                        } else {
                            item.put("url", links.signed(object.getString("bucket"), object.getString("name"),
                                    result.getString("token"), download)).put("expiresAt", result.getString("expiresAt"));
                        }
                    } else {
                        item.put("error", error(found.get(i)));
                    }
                    out.add(item);
                }
                ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("items", out).encode());
            });
        });
    }

    /** The files the body names, each with its lookup or its refusal; a body of the wrong shape is a WrongType. */
    private List<Item> items(String authorization, String requestId, JsonObject body) {
        JsonArray ids = Fields.strings(body, "ids");
        JsonArray names = Fields.strings(body, "names");
        String bucket = Fields.string(body, "bucket");
        if ((ids == null) == (names == null) || (ids != null && bucket != null) || (names != null && bucket == null)) {
            throw new Fields.WrongType("ids", "given alone, or else bucket and names");
        }
        JsonArray named = ids != null ? ids : names;
        if (named.isEmpty() || named.size() > MAX_ITEMS) {
            throw new Fields.WrongType(ids != null ? "ids" : "names", "1 to " + MAX_ITEMS + " entries (got " + named.size() + ")");
        }
        List<Item> items = new ArrayList<>(named.size());
        if (ids != null) {
            for (Object value : ids) {
                String id = (String) value;
                JsonObject item = new JsonObject().put("id", id);
                items.add(GatewayRoutes.FILE_ID.matcher(id).matches()
                        ? new Item(item, () -> metadata.file(authorization, requestId, id), null)
                        : new Item(item, null, refusal(400, SharedErrorCode.InvalidRequest.name(),
                                "a file id is 1-128 characters of A-Z, a-z, 0-9, '-' or '_'")));
            }
            return items;
        }
        String encodedBucket = RequestPaths.encodeSegment(NameRules.requireBucket(bucket));
        for (Object value : names) {
            String name = (String) value;
            JsonObject item = new JsonObject().put("bucket", bucket).put("name", name);
            try {
                String locator = encodedBucket + "/" + RequestPaths.encodePath(NameRules.requireObject(name));
                items.add(new Item(item, () -> metadata.object(authorization, requestId, locator), null));
            } catch (InvalidNameException e) {
                items.add(new Item(item, null, refusal(400, e.code(), e.getMessage())));
            }
        }
        return items;
    }

    /** The error of a file that has no link: the catalog's refusal, or its outage. */
    private static JsonObject error(AsyncResult<Reply> lookup) {
        if (lookup.failed()) {
            return JsonObject.mapFrom(new ErrorBody(503, ErrorResponse.outageCode(MetadataClient.SERVICE),
                    MetadataClient.SERVICE + " is unavailable"));
        }
        Reply reply = lookup.result();
        JsonObject body;
        try {
            body = reply.json();
        } catch (RuntimeException e) {
            body = new JsonObject();
        }
        return JsonObject.mapFrom(new ErrorBody(reply.status(), body.getString("error", "InvalidRequest"),
                body.getString("message", "the file has no link (" + reply.status() + ")")));
    }

    private static Reply refusal(int status, String code, String message) {
        return new Reply(status, "application/json", JsonObject.mapFrom(new ErrorBody(status, code, message)).toBuffer());
    }

    /** Runs {@code calls} with at most {@code parallel} in flight; every outcome, in order, once all are done. */
    static <T> Future<List<AsyncResult<T>>> bounded(List<Supplier<Future<T>>> calls, int parallel) {
        List<AsyncResult<T>> results = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            results.add(null);
        }
        Promise<List<AsyncResult<T>>> all = Promise.promise();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger left = new AtomicInteger(calls.size());
        if (calls.isEmpty()) {
            all.complete(results);
            return all.future();
        }
        for (int w = 0; w < Math.min(parallel, calls.size()); w++) {
            runNext(calls, results, next, left, all);
        }
        return all.future();
    }

    private static <T> void runNext(List<Supplier<Future<T>>> calls, List<AsyncResult<T>> results, AtomicInteger next,
                                    AtomicInteger left, Promise<List<AsyncResult<T>>> all) {
        int i = next.getAndIncrement();
        if (i >= calls.size()) {
            return;
        }
        Future<T> call;
        try {
            call = calls.get(i).get();
        } catch (RuntimeException e) {
            call = Future.failedFuture(e);
        }
        call.onComplete(result -> {
            synchronized (results) {
                results.set(i, result);
            }
            if (left.decrementAndGet() == 0) {
                all.complete(results);
            } else {
                runNext(calls, results, next, left, all);
            }
        });
    }
}
