package io.stowage.contract;

import java.util.Set;

/**
 * The roles Stowage's services read from a caller's OIDC token, and where in the token they read them.
 * What a role may do is decided by metadata-service's access rule; this is only their names.
 */
public final class Roles {

    /** Stowage's administrators: every bucket and object. */
    public static final String STORAGE_ADMIN = "storage-admin";

    /** Supabase's service key (the claim {@code role}): full access, like an administrator. It has no subject. */
    public static final String SERVICE_ROLE = "service_role";

    /**
     * Stowage's own services (client-credentials tokens of their OIDC clients, which only they can get):
     * full access, and they may act on a user's behalf (e.g. the gateway serving a signed upload URL).
     */
    public static final String STOWAGE_SERVICE = "stowage-service";

    /** The roles a person or key holds to manage buckets: administrators and Supabase's service key. */
    public static final Set<String> ADMINS = Set.of(STORAGE_ADMIN, SERVICE_ROLE);

    /** Every role with full access: the administrators and Stowage's services. */
    public static final Set<String> FULL_ACCESS = Set.of(STORAGE_ADMIN, SERVICE_ROLE, STOWAGE_SERVICE);

    /** The claim that carries a Supabase key's role ({@code anon}, {@code authenticated}, {@code service_role}). */
    public static final String SUPABASE_ROLE_CLAIM = "role";

    /**
     * Where every service reads roles, as {@code quarkus.oidc.roles.role-claim-path} takes them:
     * {@code groups} (MicroProfile JWT), {@code realm_access/roles} (Keycloak) and Supabase's {@code role}.
     * Each service's application.properties sets exactly this.
     */
    public static final String CLAIM_PATHS = "groups,realm_access/roles," + SUPABASE_ROLE_CLAIM;

    private Roles() {
    }

    /** Whether one of a caller's roles has full access. */
    public static boolean fullAccess(Set<String> roles) {
        return roles != null && roles.stream().anyMatch(FULL_ACCESS::contains);
    }
}
