package io.stowage.signing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.signing.keys.KeyAlgorithm;
import io.stowage.signing.keys.KeyFiles;
import io.stowage.signing.keys.KeyRing;
import io.stowage.signing.keys.SigningKey;
import io.stowage.signing.keys.TestKeys;
import io.stowage.signing.tokens.StowageTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A key directory as an operator would mount it after two rotations: {@code a-2025} retired,
 * {@code b-2026-01} (EdDSA, as a JWK) still verifying, {@code c-2026-02} (ES256, PEM) current;
 * plus the image URL secret. Tests mint tokens with each key to see which ones the service takes.
 */
public class TestKeysResource implements QuarkusTestResourceLifecycleManager {

    static final String RETIRED = "a-2025";
    static final String OLD = "b-2026-01";
    static final String CURRENT = "c-2026-02";
    static final byte[] IMAGE_SECRET = "test-image-secret-0123456789-abcdefghij".getBytes();

    private static Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("stowage-signing-keys");
            KeyFiles.writePem(dir, KeyFiles.generate(RETIRED, KeyAlgorithm.ES256));
            TestKeys.writeJwk(dir, KeyFiles.generate(OLD, KeyAlgorithm.EdDSA));
            KeyFiles.writePem(dir, KeyFiles.generate(CURRENT, KeyAlgorithm.ES256));
            KeyFiles.writeSecret(dir.resolve("image-url.secret"), Base64.getEncoder().encodeToString(IMAGE_SECRET));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("stowage.signing.keys", dir.toString(),
                "stowage.signing.retired-keys", RETIRED);
    }

    /** Tokens signed with one key of the directory, as the service would have signed them while it was current. */
    static StowageTokens signingWith(String kid) {
        SigningKey key = KeyRing.readAll(dir).stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
        return new StowageTokens(() -> KeyRing.of(List.of(key), Optional.empty(), Set.of()), "stowage", Clock.systemUTC());
    }

    @Override
    public void stop() {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory harms nothing
        }
    }
}
