package io.stowage.system;

import io.stowage.infra.TokenIssuer;
import java.util.Set;

/** Tokens minted by local-infra's issuer; {@code root} is the admin. */
final class LocalIdentities implements Identities {

    private final TokenIssuer issuer;

    LocalIdentities(TokenIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public String issuer() {
        return issuer.issuer();
    }

    @Override
    public String token(String user) {
        return issuer.mint(user, "root".equals(user) ? Set.of("storage-admin") : Set.of());
    }
}
