package io.stowage.image.client;

import io.stowage.edge.CallBudgets;
import io.stowage.contract.SharedErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.DependencyUnavailable.Dependency;
import io.stowage.image.error.ImageException;
import io.stowage.names.RequestPaths;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.function.Function;

/**
 * The two services image-service asks before it renders anything: metadata-service (where the blob
 * is, and whether this caller may read it, with the caller's own token) and signing-service (whether
 * a URL signature or a Stowage token is valid, asked with image-service's own client-credentials
 * token, which the REST clients' OIDC filter attaches). Only the configured base URLs are ever called:
 * no URL from a request is fetched.
 *
 * <p>A service that gives no answer (unreachable, reset, past the client's connect or read timeout)
 * or answers 502/503/504 is unavailable: 503 {@code CatalogUnavailable} or {@code SigningUnavailable}
 * with {@code Retry-After}. Another 5xx, or no service token for image-service, is 502
 * {@code UpstreamUnavailable}. Refusals are passed on with their status and code.
 */
@ApplicationScoped
public class Upstreams {

    private static final Logger LOG = Logger.getLogger(Upstreams.class);
    private static final String METADATA = "metadata-service";
    private static final String SIGNING = "signing-service";

    private final MetadataApi metadata;
    private final SignedObjectApi signedObjects;
    private final SigningApi signing;
    private final ObjectMapper json;
    private final RecentLookups recent;

    public Upstreams(@RestClient MetadataApi metadata, @RestClient SignedObjectApi signedObjects,
                     @RestClient SigningApi signing, ObjectMapper json, RecentLookups recent) {
        this.metadata = metadata;
        this.signedObjects = signedObjects;
        this.signing = signing;
        this.json = json;
        this.recent = recent;
    }

    /**
     * {@code use} applied to the object at {@code bucket/name} if {@code authorization} (null: anonymous) may
     * read it. metadata-service's 401/403/404 are passed on; anonymous callers get 404 for anything not public.
     * A successful answer to the same caller within the last {@code lookup-cache-ttl} is reused ({@link RecentLookups});
     * one whose blob turns out to be gone ({@link ImageException#blobGone}) is asked again.
     */
    public <T> Uni<T> object(String bucket, String name, String authorization, Function<StoredObject, Uni<T>> use) {
        // from the decoded, checked names, each segment encoded again: never the caller's raw path
        if (authorization == null) {
            return recent.use(new RecentLookups.Key(RecentLookups.Asker.ANONYMOUS, null, bucket, name),
                    () -> lookup(bucket, name, true, metadata.publicObject(RequestPaths.encodeSegment(bucket),
                            RequestPaths.encodePath(name))), use, ImageException::blobGone);
        }
        return recent.use(new RecentLookups.Key(RecentLookups.Asker.CALLER, authorization, bucket, name),
                () -> lookup(bucket, name, false, metadata.object(RequestPaths.encodeSegment(bucket),
                        RequestPaths.encodePath(name), authorization)), use, ImageException::blobGone);
    }

    /** {@code use} applied to the object a verified image token names, looked up as image-service itself; refusals passed on. */
    public <T> Uni<T> signedObject(String bucket, String name, Function<StoredObject, Uni<T>> use) {
        return recent.use(new RecentLookups.Key(RecentLookups.Asker.IMAGE_SERVICE, null, bucket, name),
                () -> lookup(bucket, name, false,
                        signedObjects.object(RequestPaths.encodeSegment(bucket), RequestPaths.encodePath(name))),
                use, ImageException::blobGone);
    }

    private Uni<StoredObject> lookup(String bucket, String name, boolean anonymous, Uni<Response> call) {
        return send(METADATA, call).map(answer -> {
            if (answer.status == 200) {
                JsonNode f = answer.body;
                return new StoredObject(bucket, name, f.path("blobKey").asText(), f.path("contentType").asText(null),
                        f.path("size").asLong(), f.path("visibility").asText());
            }
            if (anonymous && (answer.status == 401 || answer.status == 403 || answer.status == 404)) {
                // what anonymous callers may not read does not exist for them
                throw new ImageException(SharedErrorCode.ObjectNotFound, "no public object " + name + " in bucket " + bucket);
            }
            throw passOn(METADATA, answer);
        });
    }

    /** Checks a Thumbor URL signature of {@code path} (everything after the signature segment). */
    public Uni<Void> verifyUrlSignature(String signature, String path) {
        return verify(VerifyRequest.urlSignature(signature, path)).map(answer -> {
            if (answer.status == 200) {
                return null;
            }
            if (answer.status == 400 || answer.status == 403) {
                throw new ImageException(SharedErrorCode.InvalidSignature, "the URL signature does not match");
            }
            throw passOn(SIGNING, answer);
        });
    }

    /**
     * Checks a Stowage image token (Supabase's {@code render/image/sign/...?token=}) for this object;
     * the rendition signed into it (a render query), or null when it names none.
     */
    public Uni<String> verifyImageToken(String token, String bucket, String name) {
        return verify(VerifyRequest.imageToken(token, bucket, name)).map(answer -> {
            if (answer.status == 200) {
                JsonNode transform = answer.body.get("transform");
                return transform != null && transform.isTextual() ? transform.asText() : null;
            }
            if (answer.status == 400 || answer.status == 401 || answer.status == 403) {
                throw new ImageException(answer.body.path("error").asText("InvalidToken"), answer.status,
                        answer.body.path("message").asText("the token is not valid for this object"));
            }
            throw passOn(SIGNING, answer);
        });
    }

    private Uni<Answer> verify(VerifyRequest request) {
        return send(SIGNING, signing.verify(request)).map(answer -> {
            if (answer.status == 401 && answer.body.path("error").asText().equals("Unauthorized")) {
                // signing-service refused image-service itself, not the caller; the OIDC filter fetches a
                // new token for the next call (quarkus.rest-client-oidc-filter.refresh-on-unauthorized)
                throw new ImageException(SharedErrorCode.UpstreamUnavailable, 502, "signing-service refused image-service's identity");
            }
            return answer;
        });
    }

    private Uni<Answer> send(String service, Uni<Response> call) {
        return call
                .onFailure().transform(e -> {
                    if (isTokenFailure(e)) {
                        LOG.warnf("cannot get image-service's client-credentials token: %s", e.getMessage());
                        return new ImageException(SharedErrorCode.UpstreamUnavailable, "image-service cannot authenticate to " + service);
                    }
                    if (e instanceof CircuitBreakerOpenException) {
                        // too many calls got no answer: none is sent until the breaker lets one through again
                        return new DependencyUnavailable(dependencyOf(service), service + " is not called for now: too many calls"
                                + " got no answer", CallBudgets.OPEN_CIRCUIT_RETRY_AFTER_SECONDS, e);
                    }
                    // no answer at all, or none within the deadline (the fault tolerance's TimeoutException)
                    Throwable cause = rootCause(e);
                    LOG.warnf("%s unreachable: %s", service, cause.toString());
                    return new DependencyUnavailable(dependencyOf(service), service + " did not answer ("
                            + cause.getClass().getSimpleName() + ")", e);
                })
                .map(response -> {
                    try (response) {
                        String text = response.hasEntity() ? response.readEntity(String.class) : "";
                        JsonNode body;
                        try {
                            body = text.isEmpty() ? json.createObjectNode() : json.readTree(text);
                        } catch (Exception e) {
                            body = json.createObjectNode();
                        }
                        return new Answer(response.getStatus(), body == null ? json.createObjectNode() : body);
                    }
                });
    }

    /** The OIDC client filter could not get image-service's own token (the issuer refused or did not answer). */
    private static boolean isTokenFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("io.quarkus.oidc.")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static RuntimeException passOn(String service, Answer answer) {
        if (answer.status == 502 || answer.status == 503 || answer.status == 504) {
            // it is there but waits on something of its own (metadata-service on PostgreSQL): say so
            return new DependencyUnavailable(dependencyOf(service), service + " answered " + answer.status
                    + " " + answer.body.path("error").asText(""), null);
        }
        if (answer.status >= 500) {
            return new ImageException(SharedErrorCode.UpstreamUnavailable, 502, service + " failed with " + answer.status);
        }
        return new ImageException(answer.body.path("error").asText("InvalidRequest"), answer.status,
                answer.body.path("message").asText(service + " refused the request"));
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Dependency dependencyOf(String service) {
        return service.equals(SIGNING) ? Dependency.SIGNING : Dependency.CATALOG;
    }
}
