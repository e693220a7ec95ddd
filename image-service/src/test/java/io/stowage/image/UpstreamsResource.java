package io.stowage.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The services image-service asks. metadata-service is a WireMock stub the tests program per object;
 * signing-service is a small server that answers {@code POST /v1/verify} as the contract says: it
 * checks Thumbor HMAC-SHA1 signatures with a test key and accepts one known image token, and only
 * from callers whose token carries the {@code stowage-service} role (image-service's
 * client-credentials token from the real issuer).
 */
public class UpstreamsResource implements QuarkusTestResourceLifecycleManager {

    static final String URL_KEY = "image-test-key";
    static final String GOOD_TOKEN = "good-image-token";
    /** A token with a rendition signed in: 30x30, the left edge kept. */
    static final String TRANSFORM_TOKEN = "transform-image-token";
    static final List<String> SIGNING_CALLERS = new CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private WireMockServer metadata;
    private HttpServer signing;

    @Override
    public Map<String, String> start() {
        metadata = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        metadata.start();
        try {
            signing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        signing.createContext("/v1/verify", UpstreamsResource::verify);
        signing.start();
        return Map.of(
                "stowage.image.metadata-url", metadata.baseUrl(),
                "stowage.image.signing-url", "http://127.0.0.1:" + signing.getAddress().getPort());
    }

    /** Thumbor's signature: URL-safe base64 (with padding) of HMAC-SHA1 of the path. */
    static String sign(String path) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(URL_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getUrlEncoder().encodeToString(mac.doFinal(path.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void verify(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Map<?, ?> claims = claims(authorization);
        if (claims == null) {
            respond(exchange, 401, Map.of("statusCode", 401, "error", "Unauthorized", "message", "no token"));
            return;
        }
        SIGNING_CALLERS.add(String.valueOf(claims.get("sub")));
        if (!(claims.get("groups") instanceof List<?> roles) || !roles.contains("stowage-service")) {
            respond(exchange, 403, Map.of("statusCode", 403, "error", "Forbidden", "message", "not a Stowage service"));
            return;
        }
        Map<?, ?> request = JSON.readValue(exchange.getRequestBody(), Map.class);
        if ("image:url".equals(request.get("scope"))) {
            if (sign(String.valueOf(request.get("path"))).equals(request.get("signature"))) {
                respond(exchange, 200, Map.of("valid", true, "scope", "image:url", "path", request.get("path")));
            } else {
                respond(exchange, 403, Map.of("statusCode", 403, "error", "InvalidSignature", "message", "signature mismatch"));
            }
        } else if ("image".equals(request.get("scope"))) {
            if (GOOD_TOKEN.equals(request.get("token"))) {
                respond(exchange, 200, Map.of("valid", true, "scope", "image", "bucket", request.get("bucket"), "name", request.get("name")));
            } else if (TRANSFORM_TOKEN.equals(request.get("token"))) {
                respond(exchange, 200, Map.of("valid", true, "scope", "image", "bucket", request.get("bucket"), "name", request.get("name"),
                        "transform", "width=30&height=60&gravity=we"));
            } else {
                respond(exchange, 401, Map.of("statusCode", 401, "error", "InvalidToken", "message", "token not valid"));
            }
        } else {
            respond(exchange, 400, Map.of("statusCode", 400, "error", "InvalidRequest", "message", "unknown scope"));
        }
    }

    /** The claims of the bearer token (the issuer is real; this stub only reads them). */
    private static Map<?, ?> claims(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        try {
            String payload = authorization.substring(7).split("\\.")[1];
            return JSON.readValue(Base64.getUrlDecoder().decode(payload), Map.class);
        } catch (Exception e) {
            return null;
        }
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(metadata,
                new TestInjector.AnnotatedAndMatchesType(InjectMetadata.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (metadata != null) {
            metadata.stop();
        }
        if (signing != null) {
            signing.stop(0);
        }
    }
}
