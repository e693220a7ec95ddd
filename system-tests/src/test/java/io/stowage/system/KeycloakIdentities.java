package io.stowage.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.infra.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A real Keycloak (the Maven distribution, unpacked by the build into {@code target/keycloak}) as the
 * issuer, with the {@code stowage} realm imported; tokens come from its password grant.
 */
final class KeycloakIdentities implements Identities, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String issuer;

    KeycloakIdentities(Path home, Path log) {
        int port = Ports.free();
        this.issuer = "http://localhost:" + port + "/realms/stowage";
        try {
            // a realm imported by an earlier run would be kept and the new realm file skipped: start clean
            deleteTree(home.resolve("data/h2"));
            Path imports = Files.createDirectories(home.resolve("data/import"));
            try (var realm = KeycloakIdentities.class.getResourceAsStream("/keycloak/stowage-realm.json")) {
                Files.copy(realm, imports.resolve("stowage-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            home.resolve("bin/kc.sh").toFile().setExecutable(true);
            ProcessBuilder builder = new ProcessBuilder(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-port=" + port, "--import-realm", "--hostname=http://localhost:" + port,
                    "--health-enabled=false", "--metrics-enabled=false"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak from " + home, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        awaitRealm(log);
    }

    private void awaitRealm(Path log) {
        if (!Readiness.await(issuer + "/.well-known/openid-configuration", Duration.ofSeconds(300), process)) {
            close();
            throw new IllegalStateException("Keycloak did not become ready; see " + log);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    public String issuer() {
        return issuer;
    }

    @Override
    public String token(String user) {
        String form = "grant_type=password&client_id=stowage-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=password&scope=openid";
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + user + ": " + response.body());
            }
            return JSON.readTree(response.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }
}
