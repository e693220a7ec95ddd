package io.stowage.system;

/** Where the suite's callers get their tokens: the local issuer or a real Keycloak. */
public interface Identities {

    /** The issuer URL the services are configured with. */
    String issuer();

    /** An access token for one of the test users: {@code root} (storage-admin), {@code alice}, {@code bob}. */
    String token(String user);
}
