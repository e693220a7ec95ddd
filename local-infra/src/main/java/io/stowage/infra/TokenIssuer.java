package io.stowage.infra;

import io.stowage.contract.Roles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * A real OpenID Connect token issuer for tests and the local run: RS256 access tokens, discovery
 * ({@code /.well-known/openid-configuration}) and a JWKS, laid out like a Keycloak realm so that a
 * real Keycloak can take its place by changing only the issuer URL.
 *
 * <p>Its token endpoint hands out tokens for any user name without a password: it exists for the
 * local run on loopback only and is never deployed.
 */
public final class TokenIssuer implements AutoCloseable {

    public static final String REALM_PATH = "/realms/stowage";
    public static final String AUDIENCE = "stowage";
    public static final Set<String> ADMIN_ROLES = Roles.ADMINS;
    /** The role of Stowage's own services when they call each other (client-credentials tokens). */
    public static final String SERVICE_ROLE = Roles.STOWAGE_SERVICE;
    /** The service clients the issuer knows; they share one secret in the local run. */
    public static final Set<String> SERVICE_CLIENTS = Set.of("stowage-gateway", "stowage-upload", "stowage-image",
            "stowage-metadata", "stowage-signing");
    public static final String DEFAULT_SERVICE_SECRET = "stowage-dev-secret";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final String kid;
    private final HttpServer server;
    private final String issuer;

    private TokenIssuer(KeyPair keys, HttpServer server, String issuer) {
        this.keys = keys;
        this.kid = keyId((RSAPublicKey) keys.getPublic());
        this.server = server;
        this.issuer = issuer;
    }

    /**
     * Starts the issuer.
     *
     * @param port   the port, or 0 for a free one
     * @param keyDir where the signing key is kept across restarts, or null for a fresh key
     */
    public static TokenIssuer start(int port, Path keyDir) {
        int actualPort = Ports.orFree(port);
        try {
            KeyPair keys = keyDir == null ? generate() : loadOrCreate(keyDir);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), actualPort), 50);
            String issuer = "http://127.0.0.1:" + actualPort + REALM_PATH;
            TokenIssuer tokenIssuer = new TokenIssuer(keys, server, issuer);
            server.createContext(REALM_PATH + "/.well-known/openid-configuration", tokenIssuer::discovery);
            server.createContext(REALM_PATH + "/protocol/openid-connect/certs", tokenIssuer::jwks);
            server.createContext(REALM_PATH + "/protocol/openid-connect/token", tokenIssuer::token);
            server.setExecutor(Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("token-issuer-", 0).factory()));
            server.start();
            return tokenIssuer;
        } catch (IOException e) {
            throw new UncheckedIOException("token issuer did not start", e);
        }
    }

    /** Loads the key kept under {@code keyDir}, without starting a server: for minting from the command line. */
    public static TokenIssuer offline(Path keyDir, String issuer) {
        return new TokenIssuer(loadOrCreate(keyDir), null, issuer);
    }

    /** The issuer URL: {@code quarkus.oidc.auth-server-url} of every service. */
    public String issuer() {
        return issuer;
    }

    /** A token for a user with the given roles, valid for an hour. */
    public String mint(String subject, Set<String> roles) {
        return mint(subject, roles, Duration.ofHours(1));
    }

    public String mint(String subject, Set<String> roles, Duration ttl) {
        return mint(subject, roles, Instant.now(), ttl);
    }

    /** A token issued at {@code issuedAt}: tests use a past instant to get an expired token. */
    public String mint(String subject, Set<String> roles, Instant issuedAt, Duration ttl) {
        return mint(subject, roles, issuedAt, ttl, AUDIENCE);
    }

    /**
     * A token for another audience (another application of the same issuer, or {@code null} for none):
     * every Stowage service must refuse it.
     */
    public String mintForAudience(String subject, Set<String> roles, String audience) {
        return mint(subject, roles, Instant.now(), Duration.ofHours(1), audience);
    }

    private String mint(String subject, Set<String> roles, Instant issuedAt, Duration ttl, String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        if (audience != null) {
            claims.put("aud", audience);
        }
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", issuedAt.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("typ", "Bearer");
        claims.put("azp", "stowage-cli");
        claims.put("preferred_username", subject);
        List<String> roleList = roles.stream().sorted().toList();
        claims.put("groups", roleList);
        claims.put("realm_access", Map.of("roles", roleList));
        // Supabase clients send a role claim: full access is service_role, otherwise authenticated
        claims.put(Roles.SUPABASE_ROLE_CLAIM, roles.contains(Roles.SERVICE_ROLE) ? Roles.SERVICE_ROLE : "authenticated");
        return sign(claims);
    }

    /**
     * A token shaped like a Supabase project key or GoTrue session: the access level only in the
     * {@code role} claim ({@code anon}, {@code authenticated}, {@code service_role}), no groups, and no
     * {@code sub} when {@code subject} is null (the project's anon and service keys have none).
     */
    public String mintSupabaseStyle(String subject, String role) {
        return mintSupabaseStyle(subject, role, Duration.ofHours(1));
    }

    public String mintSupabaseStyle(String subject, String role, Duration ttl) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        if (subject != null) {
            claims.put("sub", subject);
        }
        claims.put("aud", AUDIENCE);
        Instant now = Instant.now();
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("role", role);
        return sign(claims);
    }

    private String sign(Map<String, Object> claims) {
        try {
            Map<String, Object> header = Map.of("alg", "RS256", "typ", "JWT", "kid", kid);
            String signingInput = B64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(signature.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    /** The JSON Web Key Set with the public key. */
    public Map<String, Object> jwksDocument() {
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("kid", kid);
        jwk.put("n", B64URL.encodeToString(unsigned(pub.getModulus())));
        jwk.put("e", B64URL.encodeToString(unsigned(pub.getPublicExponent())));
        return Map.of("keys", List.of(jwk));
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", issuer + "/protocol/openid-connect/certs");
        doc.put("token_endpoint", issuer + "/protocol/openid-connect/token");
        doc.put("authorization_endpoint", issuer + "/protocol/openid-connect/auth");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("grant_types_supported", List.of("password", "client_credentials"));
        respond(exchange, 200, doc);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        respond(exchange, 200, jwksDocument());
    }

    /** A service account's token, as the client-credentials grant hands it out. */
    public String mintService(String clientId) {
        return mint("service-account-" + clientId, Set.of(SERVICE_ROLE));
    }

    /**
     * The token endpoint. {@code grant_type=password}: password-less, for the local run, with
     * {@code username} and, for an admin, {@code scope=storage-admin}. {@code grant_type=client_credentials}:
     * Stowage's service clients ({@link #SERVICE_CLIENTS}) with their secret, in the form or as HTTP Basic.
     */
    private void token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, Map.of("error", "invalid_request"));
            return;
        }
        Map<String, String> form = new HashMap<>();
        String body = new String(exchange.getRequestBody().readNBytes(8192), StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if ("client_credentials".equals(form.get("grant_type"))) {
            clientCredentials(exchange, form);
            return;
        }
        String user = form.get("username");
        if (!"password".equals(form.get("grant_type")) || user == null || user.isBlank()) {
            respond(exchange, 400, Map.of("error", "invalid_request", "error_description", "grant_type=password and username are required"));
            return;
        }
        Set<String> roles = Arrays.asList(form.getOrDefault("scope", "").split(" ")).contains(Roles.STORAGE_ADMIN)
                ? Set.of(Roles.STORAGE_ADMIN) : Set.of();
        respond(exchange, 200, Map.of("access_token", mint(user, roles), "token_type", "Bearer", "expires_in", 3600));
    }

    private void clientCredentials(HttpExchange exchange, Map<String, String> form) throws IOException {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            }
        }
        if (clientId == null || !SERVICE_CLIENTS.contains(clientId) || !serviceSecret().equals(secret)) {
            respond(exchange, 401, Map.of("error", "invalid_client", "error_description", "unknown client or wrong secret"));
            return;
        }
        respond(exchange, 200, Map.of("access_token", mintService(clientId), "token_type", "Bearer", "expires_in", 3600));
    }

    private static String serviceSecret() {
        String configured = System.getenv("STOWAGE_SERVICE_CLIENT_SECRET");
        return configured == null || configured.isBlank() ? DEFAULT_SERVICE_SECRET : configured;
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair loadOrCreate(Path keyDir) {
        Path file = keyDir.resolve("issuer-key.pk8");
        try {
            if (Files.exists(file)) {
                byte[] pkcs8 = Base64.getMimeDecoder().decode(Files.readString(file).replaceAll("-----[A-Z ]+-----", ""));
                KeyFactory factory = KeyFactory.getInstance("RSA");
                RSAPrivateCrtKey priv = (RSAPrivateCrtKey) factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                var pub = factory.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
                return new KeyPair(pub, priv);
            }
            KeyPair keys = generate();
            Files.createDirectories(keyDir);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem);
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the issuer key in " + keyDir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the issuer key in " + file + " is not an RSA key", e);
        }
    }

    private static String keyId(RSAPublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return B64URL.encodeToString(Arrays.copyOf(digest, 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
