package io.stowage.signing.rest;

import io.stowage.signing.config.S3SigningConfig;
import io.stowage.signing.config.SigningConfig;
import io.stowage.signing.error.SigningException;
import io.stowage.signing.images.ImageUrlSigner;
import io.stowage.signing.keys.KeyAlgorithm;
import io.stowage.signing.keys.KeyFiles;
import io.stowage.signing.keys.KeyRing;
import io.stowage.signing.presign.BlobPresigner;
import io.stowage.signing.tokens.StowageTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expiry bounds: at least a second, at most the configured maximum, which may be below 7 days. */
class SignerTest {

    private static final BlobPresigner PRESIGNER = new BlobPresigner(new S3SigningConfig() {
        public URI endpoint() { return URI.create("http://127.0.0.1:9000"); }
        public String accessKey() { return "a"; }
        public String secretKey() { return "s"; }
        public String region() { return "us-east-1"; }
        public String bucket() { return "stowage"; }
        public boolean pathStyle() { return true; }
    });
    private static final KeyRing RING = KeyRing.of(List.of(KeyFiles.generate("k", KeyAlgorithm.ES256)), Optional.empty(), Set.of());
    private static final StowageTokens TOKENS = new StowageTokens(() -> RING, "stowage", Clock.systemUTC());
    private static final ImageUrlSigner IMAGES = new ImageUrlSigner(new byte[32]);

    @AfterAll
    static void close() {
        PRESIGNER.close();
    }

    @Test
    void aLowerConfiguredMaximumBindsEveryKindOfSignature() {
        Signer signer = new Signer(PRESIGNER, TOKENS, IMAGES, config(Duration.ofHours(1), Duration.ofMinutes(15)));

        for (String operation : List.of("s3:GetObject", "stowage:download")) {
            SignRequest tooLong = request(operation, 3601L);
            assertThrows(SigningException.InvalidRequest.class, () -> signer.sign(tooLong), operation);
            assertThrows(SigningException.InvalidRequest.class, () -> signer.sign(request(operation, 0L)), operation);
        }
        assertTrue(signer.sign(request("s3:GetObject", 3600L)).url().contains("X-Amz-Expires=3600"));
        Instant expiresAt = Instant.parse(signer.sign(request("stowage:download", 3600L)).expiresAt());
        assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofMinutes(59))));
    }

    @Test
    void theDefaultExpiryIsCappedAtTheMaximum() {
        Signer signer = new Signer(PRESIGNER, TOKENS, IMAGES, config(Duration.ofMinutes(5), Duration.ofMinutes(15)));
        assertTrue(signer.sign(request("s3:GetObject", null)).url().contains("X-Amz-Expires=300"));
    }

    @Test
    void refusesAMaximumBeyondSevenDaysOrBelowASecond() {
        assertThrows(IllegalStateException.class,
                () -> new Signer(PRESIGNER, TOKENS, IMAGES, config(Duration.ofDays(7).plusSeconds(1), Duration.ofMinutes(15))));
        assertThrows(IllegalStateException.class,
                () -> new Signer(PRESIGNER, TOKENS, IMAGES, config(Duration.ofMillis(500), Duration.ofMinutes(15))));
        assertEquals(Duration.ofDays(7), Signer.LONGEST_EXPIRY);
    }

    private static SignRequest request(String operation, Long expiresIn) {
        return new SignRequest(operation, "blobs/x", null, null, null, expiresIn, null, null, null, null,
                "photos", "a.png", null, null, null, null, null);
    }

    private static SigningConfig config(Duration maxExpiry, Duration defaultExpiry) {
        return new SigningConfig() {
            public Optional<String> keys() { return Optional.empty(); }
            public Path keyDir() { return Path.of("unused"); }
            public Optional<String> currentKey() { return Optional.empty(); }
            public Optional<Set<String>> retiredKeys() { return Optional.empty(); }
            public Optional<String> imageSecret() { return Optional.empty(); }
            public String imageUrlPrefix() { return "/img"; }
            public String callerRole() { return "stowage-service"; }
            public Duration maxExpiry() { return maxExpiry; }
            public Duration defaultExpiry() { return defaultExpiry; }
            public String tokenIssuer() { return "stowage"; }
            public Duration jwksMaxAge() { return Duration.ofMinutes(5); }
        };
    }
}
