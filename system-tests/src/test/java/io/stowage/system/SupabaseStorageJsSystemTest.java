package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.infra.SharedInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Supabase-compatible API driven by the real {@code @supabase/storage-js} client (npm), run by
 * Node's test runner against the whole suite: every StorageClient and StorageFileApi method that
 * maps to a route Stowage serves, with its errors (src/test/js/storage-js.test.mjs).
 */
class SupabaseStorageJsSystemTest {

    private static final Path JS = Path.of(System.getProperty("stowage.root", "..")).toAbsolutePath().normalize()
            .resolve("system-tests/src/test/js");

    @Test
    void storageJsWorksAgainstStowageUnchanged() throws Exception {
        StowageSuite suite = StowageSuite.get();
        if (!Files.isDirectory(JS.resolve("node_modules/@supabase/storage-js")) || !Files.isDirectory(JS.resolve("node_modules/tus-js-client"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), null, 300);
        }
        ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=tap", "storage-js.test.mjs");
        node.environment().put("STOWAGE_URL", suite.gatewayUrl());
        node.environment().put("STOWAGE_ADMIN_TOKEN", suite.identities().token("root"));
        node.environment().put("STOWAGE_ALICE_TOKEN", suite.identities().token("alice"));
        node.environment().put("STOWAGE_BOB_TOKEN", suite.identities().token("bob"));
        // a Supabase project's keys: the access level in the role claim alone, no subject
        node.environment().put("STOWAGE_SERVICE_KEY", SharedInfra.issuer().mintSupabaseStyle(null, "service_role"));
        node.environment().put("STOWAGE_ANON_KEY", SharedInfra.issuer().mintSupabaseStyle(null, "anon"));
        String output = run(node.command(), node, 300);
        assertTrue(output.contains("# fail 0"), output);
    }

    private static String run(List<String> command, ProcessBuilder prepared, int timeoutSeconds) throws Exception {
        ProcessBuilder builder = prepared == null ? new ProcessBuilder(command) : prepared;
        Process process = builder.directory(JS.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        System.out.println(output);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }
}
