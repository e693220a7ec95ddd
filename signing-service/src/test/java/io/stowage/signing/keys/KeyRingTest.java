package io.stowage.signing.keys;

import io.stowage.signing.config.SigningConfig;
import io.stowage.signing.error.SigningException;
import io.stowage.signing.images.ImageUrlSigner;
import io.stowage.signing.tokens.StowageTokens;
import io.stowage.signing.tokens.TokenClaims;
import io.stowage.signing.tokens.TokenScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRingTest {

    @TempDir
    Path dir;

    @Test
    void readsPemAndJwkFilesOfBothAlgorithms() {
        SigningKey ecPem = KeyFiles.generate("ec-pem", KeyAlgorithm.ES256);
        SigningKey edPem = KeyFiles.generate("ed-pem", KeyAlgorithm.EdDSA);
        SigningKey ecJwk = KeyFiles.generate("ec-jwk", KeyAlgorithm.ES256);
        SigningKey edJwk = KeyFiles.generate("ed-jwk", KeyAlgorithm.EdDSA);
        KeyFiles.writePem(dir, ecPem);
        KeyFiles.writePem(dir, edPem);
        TestKeys.writeJwk(dir, ecJwk);
        TestKeys.writeJwk(dir, edJwk);

        KeyRing ring = KeyRing.load(dir, Optional.empty(), Set.of());

        assertEquals(Set.of("ec-pem", "ed-pem", "ec-jwk", "ed-jwk"), ring.activeKids());
        assertEquals("ed-pem", ring.current().kid(), "the kid that sorts last signs");
        assertEquals(KeyAlgorithm.EdDSA, ring.verifier("ed-jwk").algorithm());
        assertEquals(ecJwk.publicKey(), ring.verifier("ec-jwk").publicKey());
        assertEquals(edJwk.publicKey(), ring.verifier("ed-jwk").publicKey());
        // every key signs tokens the ring verifies
        for (String kid : ring.activeKids()) {
            KeyRing signingWith = KeyRing.load(dir, Optional.of(kid), Set.of());
            StowageTokens tokens = new StowageTokens(() -> signingWith, "stowage", Clock.systemUTC());
            String token = tokens.issue(TokenScope.DOWNLOAD, "b", "n", null, false, Duration.ofMinutes(1)).token();
            assertEquals(kid, new StowageTokens(() -> ring, "stowage", Clock.systemUTC()).verify(token).kid());
        }
    }

    @Test
    void oldTokensVerifyAfterRotationUntilTheirKeyIsRetired() {
        KeyFiles.writePem(dir, KeyFiles.generate("2026-01", KeyAlgorithm.ES256));
        AtomicReference<KeyRing> ring = new AtomicReference<>(KeyRing.load(dir, Optional.empty(), Set.of()));
        StowageTokens tokens = new StowageTokens(ring::get, "stowage", Clock.systemUTC());
        String old = tokens.issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, Duration.ofHours(1)).token();

        // rotation: a new key is added and, sorting last, becomes the one that signs
        KeyFiles.writePem(dir, KeyFiles.generate("2026-02", KeyAlgorithm.ES256));
        ring.set(KeyRing.load(dir, Optional.empty(), Set.of()));
        String fresh = tokens.issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, Duration.ofHours(1)).token();
        assertEquals("2026-02", tokens.verify(fresh).kid());
        assertEquals("2026-01", tokens.verify(old, TokenScope.DOWNLOAD, "photos", "a.png", null).kid());
        assertEquals(List.of("2026-02", "2026-01"), kidsOf(ring.get().jwks()));

        // retirement: the old key's tokens are refused and the JWKS no longer lists it
        ring.set(KeyRing.load(dir, Optional.empty(), Set.of("2026-01")));
        SigningException.InvalidToken refused = assertThrows(SigningException.InvalidToken.class, () -> tokens.verify(old));
        assertTrue(refused.getMessage().contains("retired"));
        assertEquals("2026-02", tokens.verify(fresh).kid());
        assertEquals(List.of("2026-02"), kidsOf(ring.get().jwks()));

        // removing the file later keeps them refused
        ring.set(KeyRing.of(List.of(ring.get().verifier("2026-02")), Optional.empty(), Set.of()));
        assertThrows(SigningException.InvalidToken.class, () -> tokens.verify(old));
    }

    @Test
    void aConfiguredCurrentKeySignsEvenWhenANewerOneIsPresent() {
        KeyFiles.writePem(dir, KeyFiles.generate("a", KeyAlgorithm.ES256));
        KeyFiles.writePem(dir, KeyFiles.generate("b", KeyAlgorithm.ES256));
        // a new key can be distributed first and made current later, once every verifier has it
        assertEquals("a", KeyRing.load(dir, Optional.of("a"), Set.of()).current().kid());
        assertThrows(IllegalStateException.class, () -> KeyRing.load(dir, Optional.of("a"), Set.of("a")));
        assertThrows(IllegalStateException.class, () -> KeyRing.load(dir, Optional.of("missing"), Set.of()));
        assertThrows(IllegalStateException.class, () -> KeyRing.load(dir, Optional.empty(), Set.of("a", "b")));
    }

    @Test
    void refusesKeyFilesThatDoNotHoldAKeyPair() throws Exception {
        SigningKey one = KeyFiles.generate("one", KeyAlgorithm.ES256);
        SigningKey two = KeyFiles.generate("two", KeyAlgorithm.ES256);
        String privateOnly = Files.readString(KeyFiles.writePem(dir, one)).split("-----BEGIN PUBLIC KEY-----")[0];
        Files.writeString(dir.resolve("private-only.pem"), privateOnly);
        assertThrows(IllegalStateException.class, () -> KeyFiles.read(dir.resolve("private-only.pem")));

        String mismatched = privateOnly + Files.readString(KeyFiles.writePem(dir, two)).substring(
                Files.readString(dir.resolve("two.pem")).indexOf("-----BEGIN PUBLIC KEY-----"));
        Files.writeString(dir.resolve("mismatched.pem"), mismatched);
        assertThrows(IllegalStateException.class, () -> KeyFiles.read(dir.resolve("mismatched.pem")));

        Files.writeString(dir.resolve("junk.jwk"), "{\"kty\":\"RSA\"}");
        assertThrows(IllegalStateException.class, () -> KeyFiles.read(dir.resolve("junk.jwk")));
    }

    @Test
    void generatesADevelopmentKeyAndSecretOnceAndKeepsThemAcrossRestarts() throws Exception {
        Path devDir = dir.resolve("nested/signing");

        SigningKeys first = new SigningKeys(config(Optional.empty(), devDir));
        String kid = first.ring().current().kid();
        assertTrue(Files.exists(devDir.resolve(kid + ".pem")));
        assertTrue(Files.exists(devDir.resolve(SigningKeys.IMAGE_SECRET_FILE)));
        assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(devDir.resolve(kid + ".pem")));
        String token = new StowageTokens(first::ring, "stowage", Clock.systemUTC()).issue(TokenScope.IMAGE, "b", "n.png", null, false, Duration.ofMinutes(5)).token();
        String imageSignature = new ImageUrlSigner(first.imageSecret()).sign("300x200/b/n.png");

        SigningKeys second = new SigningKeys(config(Optional.empty(), devDir));
        assertEquals(kid, second.ring().current().kid());
        TokenClaims claims = new StowageTokens(second::ring, "stowage", Clock.systemUTC()).verify(token);
        assertEquals("n.png", claims.name());
        assertEquals(imageSignature, new ImageUrlSigner(second.imageSecret()).sign("300x200/b/n.png"));
    }

    @Test
    void aConfiguredKeyDirectoryIsNeverWrittenTo() {
        Path empty = dir.resolve("secret");
        assertThrows(IllegalStateException.class, () -> new SigningKeys(config(Optional.of(empty), dir.resolve("dev"))));
        assertTrue(!Files.exists(dir.resolve("dev")));
    }

    @Test
    void takesKeysGivenAsAJwkSetValue() throws Exception {
        SigningKey old = KeyFiles.generate("2026-01", KeyAlgorithm.EdDSA);
        SigningKey current = KeyFiles.generate("2026-02", KeyAlgorithm.ES256);
        String set = "{\"keys\": [" + withKid(TestKeys.writeJwk(dir, old), "2026-01") + ", "
                + withKid(TestKeys.writeJwk(dir, current), "2026-02") + "]}";
        Path devDir = dir.resolve("dev");

        SigningKeys keys = new SigningKeys(config(Optional.of(set), devDir, Optional.empty(), Set.of(),
                Optional.of("an-image-secret-of-at-least-32-bytes!")));

        assertEquals("2026-02", keys.ring().current().kid());
        assertEquals(old.publicKey(), keys.ring().verifier("2026-01").publicKey());
        assertTrue(!Files.exists(devDir), "nothing is generated when keys are given");
        assertThrows(IllegalStateException.class, () -> new SigningKeys(config(Optional.of(set), devDir,
                Optional.empty(), Set.of(), Optional.empty())), "a JWK Set value needs the image secret as a value too");
        assertThrows(IllegalStateException.class, () -> new SigningKeys(config(Optional.of("{\"keys\": [{\"kty\": \"EC\"}]}"),
                devDir, Optional.empty(), Set.of(), Optional.of("an-image-secret-of-at-least-32-bytes!"))));
    }

    private static String withKid(Path jwkFile, String kid) throws Exception {
        String jwk = Files.readString(jwkFile).strip();
        return "{\"kid\": \"" + kid + "\", " + jwk.substring(1);
    }

    @SuppressWarnings("unchecked")
    private static List<String> kidsOf(Map<String, Object> jwks) {
        return ((List<Map<String, Object>>) jwks.get("keys")).stream().map(k -> (String) k.get("kid")).toList();
    }

    private static SigningConfig config(Optional<Path> keys, Path keyDir) {
        return config(keys.map(Path::toString), keyDir, Optional.empty(), Set.of(), Optional.empty());
    }

    private static SigningConfig config(Optional<String> keys, Path keyDir, Optional<String> current, Set<String> retired,
                                        Optional<String> imageSecret) {
        return new SigningConfig() {
            public Optional<String> keys() { return keys; }
            public Path keyDir() { return keyDir; }
            public Optional<String> currentKey() { return current; }
            public Optional<Set<String>> retiredKeys() { return Optional.of(retired); }
            public Optional<String> imageSecret() { return imageSecret; }
            public String imageUrlPrefix() { return "/img"; }
            public String callerRole() { return "stowage-service"; }
            public Duration maxExpiry() { return Duration.ofDays(7); }
            public Duration defaultExpiry() { return Duration.ofMinutes(15); }
            public String tokenIssuer() { return "stowage"; }
            public Duration jwksMaxAge() { return Duration.ofMinutes(5); }
        };
    }
}
