package io.stowage.metadata.access;

import io.quarkus.security.identity.SecurityIdentity;
import io.stowage.contract.Roles;

/**
 * Who is calling, as far as the catalog cares: the token's {@code sub} (null when anonymous) and
 * whether it carries a full-access role ({@link Roles#FULL_ACCESS}: Supabase's service_role, Stowage's
 * storage-admin, and Stowage's own services, e.g. the gateway serving a link whose signed token it has
 * verified).
 */
public record Caller(String subject, boolean admin) {

    public static final Caller ANONYMOUS = new Caller(null, false);

    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return ANONYMOUS;
        }
        boolean admin = Roles.FULL_ACCESS.stream().anyMatch(identity::hasRole);
        String subject = identity.getPrincipal() == null ? null : identity.getPrincipal().getName();
        if (subject == null && admin) {
            // a Supabase service key has no subject: what it creates is owned by its role
            subject = Roles.FULL_ACCESS.stream().filter(identity::hasRole).sorted().findFirst().orElseThrow();
        }
        return new Caller(subject, admin);
    }

    /**
     * Whether the caller is one of Stowage's services, which may act on behalf of a user: e.g. the
     * gateway redeeming a signed upload token registers the object for the user the token names.
     * Admin users ({@code storage-admin}, {@code service_role}) may not: they act as themselves.
     */
    public static boolean isService(SecurityIdentity identity) {
        return identity != null && !identity.isAnonymous() && identity.hasRole(Roles.STOWAGE_SERVICE);
    }

    public boolean signedIn() {
        return subject != null;
    }

    public boolean is(String user) {
        return subject != null && subject.equals(user);
    }
}
