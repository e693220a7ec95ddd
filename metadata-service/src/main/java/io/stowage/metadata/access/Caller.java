package io.stowage.metadata.access;

import io.quarkus.security.identity.SecurityIdentity;

import java.util.Set;

/**
 * Who is calling, as far as the catalog cares: the token's {@code sub} (null when anonymous) and
 * whether it carries a full-access role.
 */
public record Caller(String subject, boolean admin) {

    /**
     * Roles that may do everything: Supabase's service_role, Stowage's storage-admin, and Stowage's own
     * services (stowage-service, client-credentials tokens only they can get), e.g. the gateway serving
     * a link whose signed token it has verified.
     */
    public static final Set<String> ADMIN_ROLES = Set.of("storage-admin", "service_role", "stowage-service");

    public static final Caller ANONYMOUS = new Caller(null, false);

    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return ANONYMOUS;
        }
        boolean admin = ADMIN_ROLES.stream().anyMatch(identity::hasRole);
        return new Caller(identity.getPrincipal().getName(), admin);
    }

    public boolean signedIn() {
        return subject != null;
    }

    public boolean is(String user) {
        return subject != null && subject.equals(user);
    }
}
