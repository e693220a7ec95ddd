package io.stowage.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.infra.S3Server;
import io.stowage.infra.SharedInfra;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The services upload-service calls. metadata-service is a WireMock stub (its own tests cover it),
 * but signing is real: a small HTTP server answers {@code POST /v1/sign} by presigning with the AWS
 * SDK against the shared S3 server, so the tests' PUTs really go to S3 and S3 enforces the
 * signed length and type. Like signing-service, it takes only tokens of the real issuer that carry
 * the {@code stowage-service} role, which upload-service gets with the client-credentials grant.
 */
public class UpstreamsResource implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The subject of every token the signing stub was called with, in order. */
    static final List<String> SIGNING_CALLERS = new CopyOnWriteArrayList<>();
    /** When set, the signing stub refuses every caller, as a signing-service with another caller role would. */
    static volatile boolean signingRefusesEveryone;
    /** When set, every URL is signed for this long instead of the lifetime asked for (to see one expire). */
    static volatile Duration lifetimeOverride;
    /** When set, the signing stub holds every request this long before answering (a hung signing-service). */
    static volatile Duration signingDelay;

    private WireMockServer metadata;
    private HttpServer signing;
    private S3Presigner presigner;

    @Override
    public Map<String, String> start() {
        metadata = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        metadata.start();

        S3Server s3 = SharedInfra.s3();
        presigner = S3Presigner.builder()
                .region(Region.of(s3.region()))
                .endpointOverride(URI.create(s3.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
        try {
            signing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        signing.createContext("/v1/sign", exchange -> {
            Duration delay = signingDelay;
            if (delay != null) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sign(exchange, s3.bucket());
        });
        // one thread per request, so that a held request does not hold the next one
        signing.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        signing.start();

        return Map.of(
                "quarkus.rest-client.metadata.url", metadata.baseUrl(),
                "quarkus.rest-client.signing.url", "http://127.0.0.1:" + signing.getAddress().getPort());
    }

    private void sign(HttpExchange exchange, String bucket) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            respond(exchange, 401, Map.of("statusCode", 401, "error", "Unauthorized", "message", "no token"));
            return;
        }
        // signing-service's rule: a token of the real issuer that carries the stowage-service role
        Map<?, ?> claims = verifiedClaims(authorization.substring("Bearer ".length()));
        if (claims == null) {
            respond(exchange, 401, Map.of("statusCode", 401, "error", "Unauthorized", "message", "bad token"));
            return;
        }
        SIGNING_CALLERS.add((String) claims.get("sub"));
        if (signingRefusesEveryone || !(claims.get("groups") instanceof List<?> roles) || !roles.contains("stowage-service")) {
            respond(exchange, 403, Map.of("statusCode", 403, "error", "Forbidden", "message", "not a Stowage service"));
            return;
        }
        Map<?, ?> request = JSON.readValue(exchange.getRequestBody(), Map.class);
        if (exchange.getRequestURI().getPath().endsWith("/batch")) {
            List<Object> results = new java.util.ArrayList<>();
            for (Object one : (List<?>) request.get("requests")) {
                Object signed = presign((Map<?, ?>) one, bucket);
                results.add(signed == null
                        ? Map.of("error", Map.of("statusCode", 400, "error", "InvalidRequest", "message", "unsupported"))
                        : signed);
            }
            respond(exchange, 200, Map.of("results", results));
            return;
        }
        Object signed = presign(request, bucket);
        if (signed == null) {
            respond(exchange, 400, Map.of("statusCode", 400, "error", "InvalidRequest", "message", "unsupported operation"));
            return;
        }
        respond(exchange, 200, signed);
    }

    /** signing-service's answer for s3:PutObject and s3:UploadPart, presigned for real; null for anything else. */
    private Object presign(Map<?, ?> request, String bucket) {
        Duration expiresIn = lifetimeOverride != null ? lifetimeOverride
                : Duration.ofSeconds(((Number) request.get("expiresIn")).longValue());
        String key = (String) request.get("key");
        Long length = request.get("contentLength") == null ? null : ((Number) request.get("contentLength")).longValue();
        Map<String, List<String>> signedHeaders;
        String url;
        java.time.Instant expiration;
        if ("s3:PutObject".equals(request.get("operation"))) {
            PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p
                    .signatureDuration(expiresIn)
                    .putObjectRequest(put -> put.bucket(bucket).key(key)
                            .contentType((String) request.get("contentType"))
                            .contentLength(length)));
            signedHeaders = presigned.signedHeaders();
            url = presigned.url().toString();
            expiration = presigned.expiration();
        } else if ("s3:UploadPart".equals(request.get("operation"))) {
            var presigned = presigner.presignUploadPart(p -> p
                    .signatureDuration(expiresIn)
                    .uploadPartRequest(part -> part.bucket(bucket).key(key)
                            .uploadId((String) request.get("uploadId"))
                            .partNumber(((Number) request.get("partNumber")).intValue())
                            .contentLength(length)));
            signedHeaders = presigned.signedHeaders();
            url = presigned.url().toString();
            expiration = presigned.expiration();
        } else {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        signedHeaders.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        return Map.of("url", url, "method", "PUT", "headers", headers, "expiresAt", expiration.toString());
    }

    /** The claims of an RS256 token signed by the shared issuer, or null. */
    private static Map<?, ?> verifiedClaims(String token) {
        try {
            String[] parts = token.split("\\.");
            Map<?, ?> jwk = (Map<?, ?>) ((List<?>) SharedInfra.issuer().jwksDocument().get("keys")).get(0);
            Base64.Decoder b64 = Base64.getUrlDecoder();
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    new BigInteger(1, b64.decode((String) jwk.get("n"))), new BigInteger(1, b64.decode((String) jwk.get("e")))));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(b64.decode(parts[2])) ? JSON.readValue(b64.decode(parts[1]), Map.class) : null;
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
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (metadata != null) {
            metadata.stop();
        }
        if (signing != null) {
            signing.stop(0);
        }
        if (presigner != null) {
            presigner.close();
        }
    }
}
