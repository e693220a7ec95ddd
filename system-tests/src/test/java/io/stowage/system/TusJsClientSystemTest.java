package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.stowage.infra.SharedInfra;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Resumable uploads driven by the real {@code tus-js-client} (npm) under Node, through the gateway
 * on the real services (src/test/js/tus.test.mjs): a 64 MiB upload in 6 MiB chunks, an interrupted
 * one resumed from the server's offset, one resumed after upload-service restarts (this test restarts
 * it when the script asks, over a small control server on loopback), termination, upsert and
 * duplicates, bucket limits at creation, an expired upload (this test expires it when asked), a signed upload
 * token, the project key, the native route.
 */
class TusJsClientSystemTest {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Path JS = Path.of(System.getProperty("stowage.root", "..")).toAbsolutePath().normalize()
            .resolve("system-tests/src/test/js");

    @Test
    void tusJsClientUploadsResumeAndAreCheckedThroughTheGateway() throws Exception {
        String output = runScript(StowageSuite.get(), false);
        assertTrue(output.contains("# fail 0"), output);
    }

    /**
     * Runs tus.test.mjs against the suite; with {@code restarts} only the case that restarts upload-service
     * mid-upload (the fault suite's run), otherwise every other case.
     */
    static String runScript(StowageSuite suite, boolean restarts) throws Exception {
        if (!Files.isDirectory(JS.resolve("node_modules/tus-js-client")) || !Files.isDirectory(JS.resolve("node_modules/@supabase/storage-js"))) {
            run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        control.createContext("/restart/upload-service", exchange -> {
            try (exchange) {
                suite.restart("upload-service");
                exchange.sendResponseHeaders(204, -1);
            }
        });
        // as if the client had gone quiet past Upload-Expires: the upload's state expires now
        control.createContext("/expire/", exchange -> {
            try (exchange) {
                String id = exchange.getRequestURI().getPath().substring("/expire/".length());
                var s3 = suite.s3().client();
                String key = "tus/" + id + ".json";
                var state = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                        s3.getObjectAsBytes(r -> r.bucket(suite.s3().bucket()).key(key)).asByteArray());
                state.put("expiresAt", java.time.Instant.now().minusSeconds(1).toString());
                s3.putObject(r -> r.bucket(suite.s3().bucket()).key(key),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(JSON.writeValueAsBytes(state)));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        control.start();
        try {
            ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=tap", "--test-concurrency=1",
                    "--test-timeout=240000", "--test-force-exit");
            if (restarts) {
                node.command().add("--test-name-pattern=setup|restarts");
            }
            node.command().add("tus.test.mjs");
            node.environment().put("STOWAGE_TUS_RESTART", String.valueOf(restarts));
            node.environment().put("STOWAGE_URL", suite.gatewayUrl());
            node.environment().put("STOWAGE_CONTROL_URL", "http://127.0.0.1:" + control.getAddress().getPort());
            node.environment().put("STOWAGE_ADMIN_TOKEN", suite.identities().token("root"));
            node.environment().put("STOWAGE_ALICE_TOKEN", suite.identities().token("alice"));
            node.environment().put("STOWAGE_BOB_TOKEN", suite.identities().token("bob"));
            node.environment().put("STOWAGE_SERVICE_KEY", SharedInfra.issuer().mintSupabaseStyle(null, "service_role"));
            return run(node, 600);
        } finally {
            control.stop(0);
        }
    }

    /** Runs the command to its end, or kills it after {@code timeoutSeconds} (a hung client must not hang the build). */
    private static String run(ProcessBuilder builder, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile("tus-js", ".log");
        Process process = builder.directory(JS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertTrue(ended, String.join(" ", builder.command()) + " timed out:\n" + output);
        assertEquals(0, process.exitValue(), String.join(" ", builder.command()) + " failed:\n" + output);
        return output;
    }
}
