package io.stowage.signing.config;

import io.stowage.contract.Roles;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Keys, callers and limits of signing-service. Every key is documented in the README. */
@ConfigMapping(prefix = "stowage.signing")
public interface SigningConfig {

    /**
     * The production keys: a directory of key files (e.g. a mounted Kubernetes secret), or a JWK
     * Set of private JWKs with their kids given as the value itself (e.g. a secret as an
     * environment variable). Only read, never written. When absent, {@link #keyDir()} is used and
     * a key is generated there if it holds none.
     */
    Optional<String> keys();

    /** The development key directory, created and filled with a fresh key when empty. */
    @WithDefault(".stowage/data/signing")
    Path keyDir();

    /** The kid that signs new tokens; without it, the active kid that sorts last. */
    Optional<String> currentKey();

    /** Kids whose tokens are refused and which the JWKS no longer publishes. */
    Optional<Set<String>> retiredKeys();

    /**
     * The HMAC secret of image URL signatures. Without it, the file {@code image-url.secret} of
     * the key directory is used (generated in the development key directory).
     */
    Optional<String> imageSecret();

    /** The route prefix of the image-service's URLs on the gateway. */
    @WithDefault("/img")
    String imageUrlPrefix();

    /** The OIDC role another Stowage service's token must carry to call /v1/sign and /v1/verify. */
    @WithDefault(Roles.STOWAGE_SERVICE)
    String callerRole();

    /** The longest expiry any signature may have: at most 7 days (SigV4's limit), may be set lower. */
    @WithDefault("P7D")
    Duration maxExpiry();

    /** The expiry when a request names none (capped at {@link #maxExpiry()}). */
    @WithDefault("PT15M")
    Duration defaultExpiry();

    /** The {@code iss} of Stowage tokens. */
    @WithDefault("stowage")
    String tokenIssuer();

    /** How long verifiers may cache the JWKS ({@code Cache-Control: max-age}). */
    @WithDefault("PT5M")
    Duration jwksMaxAge();
}
