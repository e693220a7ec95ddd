package io.stowage.gateway.client;

import io.stowage.gateway.auth.ServiceToken;
import io.stowage.gateway.config.GatewayConfig;
import io.stowage.gateway.upstream.ServiceCalls;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * metadata-service as the gateway calls it: every catalog URL the gateway uses is built here, from
 * names that are already checked and percent-encoded (a bucket segment, a {@code {bucket}/{path}}).
 * Calls go with the caller's {@code Authorization} (the catalog decides what the caller may do), or,
 * for the {@code AsGateway} ones, with the gateway's own service token.
 */
@ApplicationScoped
public class MetadataClient {

    public static final String SERVICE = "metadata-service";

    private final ServiceCalls calls;
    private final GatewayConfig config;
    private final ServiceToken serviceToken;

    public MetadataClient(ServiceCalls calls, GatewayConfig config, ServiceToken serviceToken) {
        this.calls = calls;
        this.config = config;
        this.serviceToken = serviceToken;
    }

    // ---------------------------------------------------------------- buckets

    /** The buckets the caller may see, filtered by {@code search} (null: all). */
    public Future<Reply> buckets(String authorization, String requestId, String search) {
        String query = search == null ? "" : "?search=" + Encoding.query(search);
        return get("/v1/buckets" + query, authorization, requestId);
    }

    public Future<Reply> bucket(String authorization, String requestId, String bucket) {
        return get("/v1/buckets/" + bucket, authorization, requestId);
    }

    /** The bucket as the gateway sees it (for an upload made on a user's behalf). */
    public Future<Reply> bucketAsGateway(String requestId, String bucket) {
        return serviceToken.future().compose(gateway -> bucket(gateway, requestId, bucket));
    }

    public Future<Reply> createBucket(String authorization, String requestId, JsonObject bucket) {
        return call(HttpMethod.POST, "/v1/buckets", authorization, requestId, bucket.toBuffer());
    }

    public Future<Reply> updateBucket(String authorization, String requestId, String bucket, JsonObject patch) {
        return call(HttpMethod.PATCH, "/v1/buckets/" + bucket, authorization, requestId, patch.toBuffer());
    }

    public Future<Reply> deleteBucket(String authorization, String requestId, String bucket) {
        return call(HttpMethod.DELETE, "/v1/buckets/" + bucket, authorization, requestId, null);
    }

    /** Starts emptying a bucket in the background: the answer names the job. */
    public Future<Reply> emptyBucket(String authorization, String requestId, String bucket) {
        return call(HttpMethod.POST, "/v1/buckets/" + bucket + "/empty", authorization, requestId, null);
    }

    public Future<Reply> job(String authorization, String requestId, String jobId) {
        return get("/v1/jobs/" + jobId, authorization, requestId);
    }

    // ---------------------------------------------------------------- objects

    /** An object by its {@code {bucket}/{path}} as the caller may read it (403/404 when they may not). */
    public Future<Reply> object(String authorization, String requestId, String bucketAndPath) {
        return get("/internal/objects/by-path/" + bucketAndPath, authorization, requestId);
    }

    /**
     * What a registration of {@code name} by this caller would answer about the name (the catalog's one
     * access rule): 204 free or theirs to replace, 409 taken (or someone else's they cannot see), 403
     * someone else's they can see, 404 no such bucket. Names as stored (decoded).
     */
    public Future<Reply> writeCheck(String authorization, String requestId, String bucket, String name, boolean overwrite) {
        JsonObject check = new JsonObject().put("bucket", bucket).put("name", name).put("overwrite", overwrite);
        return call(HttpMethod.POST, "/internal/objects/write-checks", authorization, requestId, check.toBuffer());
    }

    /** An object by path through the catalog's public read route: anonymous callers see public things only. */
    public Future<Reply> publicObject(String authorization, String requestId, String bucketAndPath) {
        return get("/v1/files/by-path/" + bucketAndPath, authorization, requestId);
    }

    /** An object by its file id. */
    public Future<Reply> file(String authorization, String requestId, String fileId) {
        return get("/v1/files/" + fileId, authorization, requestId);
    }

    public Future<Reply> deleteObject(String authorization, String requestId, String bucketAndPath) {
        return call(HttpMethod.DELETE, "/v1/files/by-path/" + bucketAndPath, authorization, requestId, null);
    }

    /** Deletes the named objects of one bucket: {@code {"bucket", "names": [...]}}. */
    public Future<Reply> deleteObjects(String authorization, String requestId, JsonObject request) {
        return call(HttpMethod.POST, "/v1/files/delete", authorization, requestId, request.toBuffer());
    }

    public Future<Reply> move(String authorization, String requestId, JsonObject transfer) {
        return call(HttpMethod.POST, "/v1/files/move", authorization, requestId, transfer.toBuffer());
    }

    public Future<Reply> copy(String authorization, String requestId, JsonObject transfer) {
        return call(HttpMethod.POST, "/v1/files/copy", authorization, requestId, transfer.toBuffer());
    }

    /** One keyset page of a bucket's objects. */
    public Future<Reply> list(String authorization, String requestId, FileQuery query) {
        return get("/v1/files?" + query.queryString(), authorization, requestId);
    }

    /** Records a CDN purge (an event for image-service and a CDN in front): {@code {transformations, bucket?, name?}}. */
    public Future<Reply> purge(String authorization, String requestId, JsonObject request) {
        return call(HttpMethod.POST, "/internal/purges", authorization, requestId, request.toBuffer());
    }

    private Future<Reply> get(String pathAndQuery, String authorization, String requestId) {
        return call(HttpMethod.GET, pathAndQuery, authorization, requestId, null);
    }

    private Future<Reply> call(HttpMethod method, String pathAndQuery, String authorization, String requestId, Buffer body) {
        return calls.call(SERVICE, method, config.metadataUrl() + pathAndQuery, authorization, requestId, body);
    }
}
