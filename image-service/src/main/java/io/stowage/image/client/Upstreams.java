package io.stowage.image.access;

import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.DependencyUnavailable.Dependency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;
import io.stowage.image.error.ErrorCode;
import io.stowage.image.error.ImageException;
import io.stowage.names.RequestPaths;
import jakarta.enterprise.context.ApplicationScoped;
import io.stowage.image.config.ImageConfig;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The two services image-service asks before it renders anything: metadata-service (where the blob
 * is, and whether this caller may read it, with the caller's own token) and signing-service (whether
 * a URL signature or a Stowage token is valid, asked with image-service's own client-credentials
 * token). Only these fixed base URLs are ever called: no URL from a request is fetched.
 */
@ApplicationScoped
public class Upstreams {

    private static final Logger LOG = Logger.getLogger(Upstreams.class);

    /** Longer than metadata-service's own deadline (5 s), so that its 503 naming PostgreSQL arrives first. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(6);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ObjectMapper json;
    private final OidcClient oidc;
    private final String metadataUrl;
    private final String signingUrl;
    private volatile Tokens tokens;

    public Upstreams(ObjectMapper json, OidcClient oidc, ImageConfig config) {
        this.json = json;
        this.oidc = oidc;
        this.metadataUrl = config.metadataUrl().replaceAll("/+$", "");
        this.signingUrl = config.signingUrl().replaceAll("/+$", "");
    }

    /**
     * The object at {@code bucket/name} if {@code authorization} (null: anonymous) may read it.
     * metadata-service's 401/403/404 are passed on; anonymous callers get 404 for anything not public.
     */
    public Uni<StoredObject> object(String bucket, String name, String authorization) {
        // from the decoded, checked names, each segment encoded again: never the caller's raw path.
        // Anonymous callers go through the catalog's public read route (public things only); the
        // internal route needs a token.
        String route = authorization == null ? "/v1/files/by-path/" : "/internal/objects/by-path/";
        String url = metadataUrl + route + RequestPaths.encodeSegment(bucket) + "/" + RequestPaths.encodePath(name);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT).GET()
                .header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send("metadata-service", request.build()).map(answer -> {
            if (answer.status == 200) {
                JsonNode f = answer.body;
                return new StoredObject(bucket, name, f.path("blobKey").asText(), f.path("contentType").asText(null),
                        f.path("size").asLong(), f.path("visibility").asText());
            }
            if (authorization == null && (answer.status == 401 || answer.status == 403 || answer.status == 404)) {
                // what anonymous callers may not read does not exist for them
                throw new ImageException(ErrorCode.ObjectNotFound, "no public object " + name + " in bucket " + bucket);
            }
            throw passOn("metadata-service", answer);
        });
    }

    /** Checks a Thumbor URL signature of {@code path} (everything after the signature segment). */
    public Uni<Void> verifyUrlSignature(String signature, String path) {
        return verify(Map.of("scope", "image:url", "signature", signature, "path", path)).map(answer -> {
            if (answer.status == 200) {
                return null;
            }
            if (answer.status == 400 || answer.status == 403) {
                throw new ImageException(ErrorCode.InvalidSignature, "the URL signature does not match");
            }
            throw passOn("signing-service", answer);
        });
    }

    /**
     * Checks a Stowage image token (Supabase's {@code render/image/sign/...?token=}) for this object;
     * the rendition signed into it (a render query), or null when it names none.
     */
    public Uni<String> verifyImageToken(String token, String bucket, String name) {
        return verify(Map.of("scope", "image", "token", token, "bucket", bucket, "name", name)).map(answer -> {
            if (answer.status == 200) {
                JsonNode transform = answer.body.get("transform");
                return transform != null && transform.isTextual() ? transform.asText() : null;
            }
            if (answer.status == 400 || answer.status == 401 || answer.status == 403) {
                throw new ImageException(answer.body.path("error").asText("InvalidToken"), answer.status,
                        answer.body.path("message").asText("the token is not valid for this object"));
            }
            throw passOn("signing-service", answer);
        });
    }

    /** image-service's own bearer token, e.g. to look up the object a signed token names. */
    public Uni<String> serviceAuthorization() {
        Tokens current = tokens;
        if (current != null && !current.isAccessTokenWithinRefreshInterval() && !current.isAccessTokenExpired()) {
            return Uni.createFrom().item("Bearer " + current.getAccessToken());
        }
        return oidc.getTokens()
                .onFailure().transform(e -> {
                    LOG.warnf("cannot get image-service's client-credentials token: %s", e.getMessage());
                    return new ImageException(ErrorCode.UpstreamUnavailable, "image-service cannot authenticate to signing-service");
                })
                .map(fresh -> {
                    tokens = fresh;
                    return "Bearer " + fresh.getAccessToken();
                });
    }

    private Uni<Answer> verify(Map<String, String> body) {
        return serviceAuthorization().chain(authorization -> {
            byte[] bytes;
            try {
                bytes = json.writeValueAsBytes(body);
            } catch (Exception e) {
                return Uni.createFrom().failure(e);
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(signingUrl + "/v1/verify")).timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json").header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            return send("signing-service", request);
        }).map(answer -> {
            if (answer.status == 401 && answer.body.path("error").asText().equals("Unauthorized")) {
                // signing-service refused image-service itself, not the caller
                tokens = null;
                throw new ImageException(ErrorCode.UpstreamUnavailable, 502, "signing-service refused image-service's identity");
            }
            return answer;
        });
    }

    private Uni<Answer> send(String service, HttpRequest request) {
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                .onFailure().transform(e -> {
                    LOG.warnf("%s unreachable: %s", service, e.toString());
                    return new DependencyUnavailable(dependencyOf(service), service + " did not answer ("
                            + e.getClass().getSimpleName() + ")", e);
                })
                .map(response -> {
                    JsonNode body;
                    try {
                        body = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
                    } catch (Exception e) {
                        body = json.createObjectNode();
                    }
                    return new Answer(response.statusCode(), body);
                });
    }

    private static RuntimeException passOn(String service, Answer answer) {
        if (answer.status == 502 || answer.status == 503 || answer.status == 504) {
            // it is there but waits on something of its own (metadata-service on PostgreSQL): say so
            return new DependencyUnavailable(dependencyOf(service), service + " answered " + answer.status
                    + " " + answer.body.path("error").asText(""), null);
        }
        if (answer.status >= 500) {
            return new ImageException(ErrorCode.UpstreamUnavailable, 502, service + " failed with " + answer.status);
        }
        return new ImageException(answer.body.path("error").asText("InvalidRequest"), answer.status,
                answer.body.path("message").asText(service + " refused the request"));
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Dependency dependencyOf(String service) {
        return service.startsWith("signing") ? Dependency.SIGNING : Dependency.CATALOG;
    }
}
