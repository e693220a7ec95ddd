package io.stowage.gateway.signed;

import io.stowage.contract.ErrorBody;
import io.stowage.contract.ErrorCode;
import io.stowage.gateway.client.MetadataClient;
import io.stowage.gateway.client.SigningClient;
import io.stowage.gateway.upstream.ServiceCalls.Reply;
import io.stowage.names.RequestPaths;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * The one rule of signed upload URLs, for Supabase's {@code POST /object/upload/sign/...} and the native
 * {@code POST /v1/files/signed-upload-url} alike: the caller's right is checked when the URL is signed,
 * by the catalog as the caller (the bucket must be theirs to see; with upsert an existing object they can
 * see must be theirs, or they an admin: 403 otherwise; one they cannot see is not there for them, so the
 * token is a create-only one and cannot overwrite it), and the token names the caller as the owner of
 * what is uploaded with it. The access decision stays metadata-service's; the gateway only asks.
 */
@ApplicationScoped
public class UploadGrants {

    private final MetadataClient metadata;
    private final SigningClient signing;

    public UploadGrants(MetadataClient metadata, SigningClient signing) {
        this.metadata = metadata;
        this.signing = signing;
    }

    /** Why a bucket refuses the upload before it is signed (its limits), as an error answer; null to sign. */
    public interface BucketCheck extends Function<JsonObject, Reply> {
    }

    /** What an upload token binds the upload to: its media type and its exact length (each null: not bound). */
    public record Bounds(String contentType, Long size) {

        public static final Bounds NONE = new Bounds(null, null);
    }

    /**
     * Signs an upload token of {@code bucket}/{@code name} (as stored, decoded) for {@code owner}, bound to
     * {@code bounds}: the signing-service answer ({@code {token, url, expiresAt}}), or the refusal of the
     * catalog or of {@code check} (null: none) as a non-2xx reply. Fails only when a service gave no answer.
     */
    public Future<Reply> grant(String authorization, String requestId, String bucket, String name, boolean upsert,
                               String owner, int expiresIn, Bounds bounds, BucketCheck check) {
        return metadata.bucket(authorization, requestId, RequestPaths.encodeSegment(bucket)).compose(found -> {
            if (!found.ok()) {
                return Future.succeededFuture(found);
            }
            Reply refused = check == null ? null : check.apply(found.json());
            if (refused != null) {
                return Future.succeededFuture(refused);
            }
            if (!upsert) {
                return sign(requestId, bucket, name, false, owner, expiresIn, bounds);
            }
            // a free name is signed as a create (nobody's object created meanwhile can be overwritten); a name
            // taken by an object they may replace with upsert; one they may see but not change is 403; one they
            // cannot see answers as taken (409) and is signed as a create, neither revealed now nor overwritten
            // later (its upload meets the existing name as any create does: 409)
            return metadata.writeCheck(authorization, requestId, bucket, name, false).compose(free -> {
                if (free.ok()) {
                    return sign(requestId, bucket, name, false, owner, expiresIn, bounds);
                }
                if (free.status() != 409) {
                    return Future.succeededFuture(free);
                }
                return metadata.writeCheck(authorization, requestId, bucket, name, true).compose(replace -> {
                    if (replace.status() == 409) {
                        return sign(requestId, bucket, name, false, owner, expiresIn, bounds);
                    }
                    return replace.ok() ? sign(requestId, bucket, name, true, owner, expiresIn, bounds)
                            : Future.succeededFuture(replace);
                });
            });
        });
    }

    /** A refusal in the error shape, as a service's answer. */
    public static Reply refusal(ErrorCode code, String message) {
        return new Reply(code.status(), "application/json", JsonObject.mapFrom(new ErrorBody(code.status(), code.name(), message))
                .toBuffer());
    }

    private Future<Reply> sign(String requestId, String bucket, String name, boolean upsert, String owner, int expiresIn,
                               Bounds bounds) {
        JsonObject request = new JsonObject().put("operation", "stowage:upload").put("bucket", bucket).put("name", name)
                .put("upsert", upsert).put("owner", owner).put("expiresIn", expiresIn);
        if (bounds.contentType() != null) {
            request.put("contentType", bounds.contentType());
        }
        if (bounds.size() != null) {
            request.put("contentLength", bounds.size());
        }
        return signing.sign(requestId, request);
    }
}
