package io.stowage.signing.tokens;

import io.stowage.signing.config.SigningConfig;
import io.stowage.signing.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The service's {@link StowageTokens}: signed with the key ring loaded at start, under the configured issuer. */
@ApplicationScoped
class StowageTokensProducer {

    @Produces
    @Singleton
    StowageTokens tokens(SigningKeys keys, SigningConfig config) {
        return new StowageTokens(keys::ring, config.tokenIssuer(), Clock.systemUTC());
    }
}
