package io.stowage.infra.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.infra.SharedInfra;
import java.util.Map;

/** Points a service's OIDC resource server at the shared real token issuer (discovery and JWKS over HTTP). */
public class OidcResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.oidc.auth-server-url", SharedInfra.issuer().issuer());
    }

    @Override
    public void stop() {
        // shared across test classes; stops with the JVM
    }
}
