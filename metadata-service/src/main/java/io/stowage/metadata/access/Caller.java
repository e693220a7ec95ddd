package io.stowage.metadata.access;

import io.quarkus.security.identity.SecurityIdentity;

import java.util.Set;

/**
 * Who is calling, as far as the catalog cares: the token's {@code sub} (null when anonymous) and
 * whether it carries a full-access role.
 */
public record Caller(String subject, boolean admin) {

    /** The role of Stowage's own services (client-credentials tokens of their OIDC clients). */
    public static final String SERVICE_ROLE = "stowage-service";

    /**
     * Roles that may do everything: Supabase's service_role, Stowage's storage-admin, and Stowage's own
     * services (stowage-service, client-credentials tokens only they can get), e.g. the gateway serving
     * a link whose signed token it has verified.
     */
    public static final Set<String> ADMIN_ROLES = Set.of("storage-admin", "service_role", SERVICE_ROLE);

    public static final Caller ANONYMOUS = new Caller(null, false);

    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return ANONYMOUS;
        }
        boolean admin = ADMIN_ROLES.stream().anyMatch(identity::hasRole);
        String subject = identity.getPrincipal() == null ? null : identity.getPrincipal().getName();
        if (subject == null && admin) {
            // a Supabase service key has no subject: what it creates is owned by its role
            subject = ADMIN_ROLES.stream().filter(identity::hasRole).sorted().findFirst().orElseThrow();
        }
        return new Caller(subject, admin);
    }

    /**
     * Whether the caller is one of Stowage's services, which may act on behalf of a user: e.g. the
     * gateway redeeming a signed upload token registers the object for the user the token names.
     * Admin users ({@code storage-admin}, {@code service_role}) may not: they act as themselves.
     */
    public static boolean isService(SecurityIdentity identity) {
        return identity != null && !identity.isAnonymous() && identity.hasRole(SERVICE_ROLE);
    }

    public boolean signedIn() {
        return subject != null;
    }

    public boolean is(String user) {
        return subject != null && subject.equals(user);
    }
}
