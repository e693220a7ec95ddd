package io.stowage.upload.client;

import io.stowage.edge.CallBudgets;
import io.stowage.contract.SharedErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.DependencyUnavailable.Dependency;
import io.stowage.upload.error.Outages;
import io.stowage.upload.error.UpstreamOutage;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.error.UpstreamRejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The calls upload-service makes to metadata-service (with the caller's token) and
 * signing-service (with upload-service's own service token). Refusals come back as
 * {@link UpstreamRejection} (passed through to the caller). A service that gives no answer (unreachable,
 * reset, past the client's connect or read timeout) or answers 502/503/504 is an outage: 503
 * {@code CatalogUnavailable} or {@code SigningUnavailable} with {@code Retry-After}. A service that
 * answers nonsense is 502 UpstreamUnavailable.
 */
@ApplicationScoped
public class Upstreams {

    /** How long a registration may take before it counts as unanswered ({@code @Timeout} of {@code MetadataApi}). */
    public static final java.time.Duration REGISTRATION_DEADLINE = java.time.Duration.ofMillis(CallBudgets.TIMEOUT_MS);

    /** The cache of bucket settings (Quarkus cache, Caffeine; size, expiry and metrics in application.properties). */
    public static final String BUCKET_SETTINGS = "bucket-settings";

    private static final String SIGNING = "signing-service";
    private static final ObjectMapper PLAIN_JSON = new ObjectMapper();

    private final MetadataApi metadata;
    private final SigningApi signing;
    private final BlobReferencesApi references;
    private final ObjectMapper json;

    public Upstreams(@RestClient MetadataApi metadata, @RestClient SigningApi signing,
                     @RestClient BlobReferencesApi references, ObjectMapper json) {
        this.metadata = metadata;
        this.signing = signing;
        this.references = references;
        this.json = json;
    }

    /**
     * The bucket's settings (limits, allowed types), kept for at most {@code quarkus.cache.caffeine."bucket-settings"
     * .expire-after-write} (1 s) per bucket name: every signed-in caller gets the same answer from metadata-service, and
     * it checks the limits again against what landed when the object is registered, so a setting changed meanwhile
     * is at worst applied a second late to the early refusal. Refusals and outages are not kept.
     */
    @CacheResult(cacheName = BUCKET_SETTINGS)
    public Uni<BucketInfo> bucket(@CacheKey String name, String authorization) {
        return call("metadata-service", metadata.bucket(name, authorization))
                .map(answer -> parse("metadata-service", answer.body(), BucketInfo.class));
    }

    /**
     * Presigns with upload-service's own identity. signing-service refusing that identity (401/403)
     * is a deployment fault, not the user's: it becomes 502, never the user's 401/403.
     */
    public Uni<SignedUrl> presignPut(SignRequest request) {
        return signingCall(signing.sign(request))
                .map(answer -> parse("signing-service", answer.body(), SignedUrl.class));
    }

    /** Presigns many requests in one call; any entry signing-service could not sign fails the whole batch (502). */
    public Uni<List<SignedUrl>> presignBatch(List<SignRequest> requests) {
        return signingCall(signing.signBatch(new SignBatch.Request(requests)))
                .map(answer -> {
                    SignBatch.Response batch = parse("signing-service", answer.body(), SignBatch.Response.class);
                    if (batch.results() == null || batch.results().size() != requests.size()) {
                        throw new UploadException(SharedErrorCode.UpstreamUnavailable, "signing-service answered a batch of another size");
                    }
                    List<SignedUrl> urls = new ArrayList<>();
                    for (JsonNode result : batch.results()) {
                        if (result.has("error")) {
                            throw new UploadException(SharedErrorCode.UpstreamUnavailable,
                                    "signing-service refused a part: " + result.path("error").path("message").asText());
                        }
                        urls.add(json.convertValue(result, SignedUrl.class));
                    }
                    return urls;
                });
    }

    private static Uni<Answer> signingCall(Uni<Response> request) {
        return call(SIGNING, request)
                .onFailure(UpstreamRejection.class).transform(t -> {
                    UpstreamRejection rejection = (UpstreamRejection) t;
                    return rejection.status() == 401 || rejection.status() == 403
                            ? new UploadException(SharedErrorCode.UpstreamUnavailable,
                                    "signing-service refused upload-service's identity (" + rejection.status() + ")", t)
                            : t;
                });
    }

    /** Registers the object; a 200 or 201 answer is returned as is, with its status. */
    public Uni<Answer> registerObject(ObjectRegistration registration, String authorization) {
        return call("metadata-service", metadata.registerObject(registration, authorization));
    }

    /**
     * Asks metadata-service, before any byte is sent, whether the caller may write the name: the answer a
     * registration would give now (403 no right, 409 name taken without overwrite, 404 no such bucket).
     */
    public Uni<Void> checkWrite(WriteCheck check, String authorization) {
        return call("metadata-service", metadata.checkWrite(check, authorization)).replaceWithVoid();
    }

    /**
     * Before any byte: when a quota may apply to the bucket ({@link BucketInfo#quotaApplies()}), asks
     * metadata-service whether a new object of {@code size} bytes (replacing the current one when
     * {@code overwrite}; an upload that does not know yet counts as a new object) fits (413 {@code QuotaExceeded}
     * otherwise, passed through); a bucket without quotas costs no call. The registration checks again.
     */
    public Uni<Void> checkQuota(BucketInfo bucket, String name, boolean overwrite, long size, String owner, String authorization) {
        if (!bucket.quotaApplies()) {
            return Uni.createFrom().voidItem();
        }
        return checkWrite(WriteCheck.quotaOnly(bucket.name(), name, overwrite, owner, size), authorization);
    }

    /**
     * The subset of {@code blobKeys} that some catalog row references, asked with upload-service's own
     * token, {@value BlobReferences#MAX_KEYS} keys per call. Fails (never answers "none") unless every
     * call got a readable 200: metadata-service unreachable, a 5xx, a refusal of our identity or a
     * route it does not have yet all mean "unknown", and an unknown blob must not be deleted.
     */
    public Uni<Set<String>> referencedBlobs(List<String> blobKeys) {
        Set<String> referenced = new HashSet<>();
        Uni<Void> calls = Uni.createFrom().voidItem();
        for (int from = 0; from < blobKeys.size(); from += BlobReferences.MAX_KEYS) {
            List<String> chunk = List.copyOf(blobKeys.subList(from, Math.min(blobKeys.size(), from + BlobReferences.MAX_KEYS)));
            Set<String> asked = Set.copyOf(chunk);
            calls = calls.chain(() -> call("metadata-service", references.referenced(new BlobReferences.Request(chunk)))
                    .invoke(answer -> {
                        if (answer.status() != 200) {
                            throw new UploadException(SharedErrorCode.UpstreamUnavailable,
                                    "metadata-service answered " + answer.status() + " to blobs/referenced");
                        }
                        BlobReferences.Response found = parse("metadata-service", answer.body(), BlobReferences.Response.class);
                        if (found.referenced() == null) {
                            throw new UploadException(SharedErrorCode.UpstreamUnavailable,
                                    "metadata-service answered blobs/referenced without 'referenced'");
                        }
                        // only what was asked: a key it made up must not protect (or expose) anything else
                        found.referenced().stream().filter(asked::contains).forEach(referenced::add);
                    })
                    .replaceWithVoid());
        }
        return calls.replaceWith(() -> Set.copyOf(referenced));
    }

    /**
     * The blobs the catalog references after {@code after} ("" from the start), {@link BlobReferences#MAX_KEYS} at most,
     * asked with upload-service's own token. Fails unless the answer is a readable page.
     */
    public Uni<BlobReferences.Page> catalogBlobs(String after, int limit) {
        return call("metadata-service", references.page(after, limit)).map(answer -> {
            BlobReferences.Page page = answer.status() == 200 ? parse("metadata-service", answer.body(), BlobReferences.Page.class) : null;
            if (page == null || page.blobs() == null) {
                throw new UploadException(SharedErrorCode.UpstreamUnavailable,
                        "metadata-service answered " + answer.status() + " to GET /internal/blobs without a page");
            }
            return page;
        });
    }

    /** A successful answer of another service: its status and its JSON body. */
    public record Answer(int status, String body) {
        public JsonNode json(ObjectMapper mapper) {
            try {
                return mapper.readTree(body);
            } catch (IOException e) {
                throw new UploadException(SharedErrorCode.UpstreamUnavailable, "metadata-service answered unreadable JSON", e);
            }
        }
    }

    private static Uni<Answer> call(String service, Uni<Response> request) {
        Dependency dependency = service.equals(SIGNING) ? Dependency.SIGNING : Dependency.CATALOG;
        return request
                // no answer at all (refused, reset, connect or read timeout): the service is unavailable
                .onFailure().transform(t -> Outages.ofCall(dependency, service, t))
                .map(response -> {
                    try (response) {
                        String body = response.hasEntity() ? response.readEntity(String.class) : "";
                        if (Outages.isUnavailableStatus(response.getStatus())) {
                            throw outage(dependency, service, response, body);
                        }
                        if (response.getStatus() >= 400) {
                            throw new UpstreamRejection(service, response.getStatus(), body);
                        }
                        return new Answer(response.getStatus(), body);
                    }
                });
    }

    /**
     * The service says it is unavailable. Its own answer is passed through when it names the outage in
     * Stowage's error shape (e.g. metadata-service's CatalogUnavailable while its database is down), with
     * its Retry-After; anything else (a proxy's page, a 502 without a body) is answered in our words.
     */
    private static UpstreamOutage outage(Dependency dependency, String service, Response response, String body) {
        int retryAfter = retryAfter(response.getHeaderString("Retry-After"));
        String passed = null;
        try {
            JsonNode error = PLAIN_JSON.readTree(body);
            if (error != null && error.path("statusCode").asInt() == 503
                    && DependencyUnavailable.isOutageCode(error.path("error").asText(null))) {
                passed = body;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: answered in our words
        }
        return new UpstreamOutage(dependency, service, response.getStatus(), passed, retryAfter);
    }

    private static int retryAfter(String header) {
        if (header != null) {
            try {
                return Integer.parseInt(header.trim());
            } catch (NumberFormatException e) {
                // an HTTP date or nonsense: our default
            }
        }
        return DependencyUnavailable.DEFAULT_RETRY_AFTER_SECONDS;
    }

    private <T> T parse(String service, String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new UploadException(SharedErrorCode.UpstreamUnavailable, service + " answered unreadable JSON", e);
        }
    }
}
