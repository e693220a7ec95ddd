package io.stowage.signing.keys;

import io.quarkus.runtime.Startup;
import io.stowage.signing.config.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the key ring and the image URL secret at start, from the configured key directory (a
 * Kubernetes secret in production) or from the development key directory, where a first key and
 * secret are generated and kept so that links survive restarts.
 */
// loaded at start: a missing or broken key stops the service before it answers anything
@Startup
@ApplicationScoped
public class SigningKeys {

    static final String IMAGE_SECRET_FILE = "image-url.secret";
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final DateTimeFormatter KID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final KeyRing ring;
    private final byte[] imageSecret;

    public SigningKeys(SigningConfig config) {
        Set<String> retired = config.retiredKeys().orElse(Set.of());
        Optional<String> keys = config.keys().map(String::strip).filter(value -> !value.isEmpty());
        if (keys.isPresent() && keys.get().startsWith("{")) {
            this.ring = KeyRing.of(KeyFiles.readJwkSet(keys.get()), config.currentKey(), retired);
            this.imageSecret = config.imageSecret()
                    .map(value -> value.getBytes(StandardCharsets.UTF_8))
                    .orElseThrow(() -> new IllegalStateException(
                            "keys given as a JWK Set need stowage.signing.image-secret (STOWAGE_SIGNING_IMAGE_SECRET)"));
        } else {
            Path dir;
            if (keys.isPresent()) {
                dir = Path.of(keys.get());
                if (!Files.isDirectory(dir)) {
                    throw new IllegalStateException("stowage.signing.keys " + dir + " is neither a directory nor a JWK Set");
                }
            } else {
                dir = config.keyDir().toAbsolutePath();
                generateDevelopmentKeys(dir, config.imageSecret().isEmpty());
            }
            this.ring = KeyRing.load(dir, config.currentKey(), retired);
            this.imageSecret = config.imageSecret()
                    .map(value -> value.getBytes(StandardCharsets.UTF_8))
                    .orElseGet(() -> readImageSecret(dir.resolve(IMAGE_SECRET_FILE)));
        }
        LOG.infof("signing with key %s; verifying %s; retired %s", ring.current().kid(), ring.activeKids(), retired);
    }

    /** The local run's first key and image secret, generated once and kept so links survive restarts. */
    private static void generateDevelopmentKeys(Path dir, boolean imageSecretNeeded) {
        if (KeyRing.readAll(dir).isEmpty()) {
            String kid = "dev-" + KID_TIME.format(Clock.systemUTC().instant());
            KeyFiles.writePem(dir, KeyFiles.generate(kid, KeyAlgorithm.ES256));
            LOG.infof("generated signing key %s in %s", kid, dir);
        }
        if (imageSecretNeeded && !Files.exists(dir.resolve(IMAGE_SECRET_FILE))) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            KeyFiles.writeSecret(dir.resolve(IMAGE_SECRET_FILE), Base64.getEncoder().encodeToString(secret) + "\n");
            LOG.infof("generated the image URL secret in %s", dir);
        }
    }

    private static byte[] readImageSecret(Path file) {
        try {
            // the file holds the secret's bytes base64-encoded, as generated; a Kubernetes secret key works the same
            return Base64.getMimeDecoder().decode(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("no image URL secret: set stowage.signing.image-secret or provide " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " must hold the image URL secret in base64", e);
        }
    }

    public KeyRing ring() {
        return ring;
    }

    /** The secret of image URL signatures; a copy, so that nobody can change the service's own. */
    public byte[] imageSecret() {
        return imageSecret.clone();
    }
}
