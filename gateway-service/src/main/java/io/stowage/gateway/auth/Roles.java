package io.stowage.gateway.auth;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Set;

/**
 * The one place the gateway reads roles from a caller's token. What a caller may see and change is
 * decided by metadata-service's access rule ({@code AccessPolicy}, with the same full-access roles as
 * its {@code Caller}); the gateway asks it wherever it can. It decides here only what it must decide
 * itself before metadata-service is asked, such as whether a signed upload URL may overwrite (the
 * upload is later made as the gateway, which may write anything).
 */
public final class Roles {

    /** Roles with full access, as metadata-service counts them: storage admins, Supabase's service key, Stowage's services. */
    public static final Set<String> FULL_ACCESS = Set.of("storage-admin", "service_role", "stowage-service");

    private Roles() {
    }

    public static boolean fullAccess(SecurityIdentity identity) {
        return FULL_ACCESS.stream().anyMatch(identity::hasRole);
    }

    /** Whether the caller may replace an object owned by {@code owner}: its owner or a caller with full access. */
    public static boolean mayReplace(SecurityIdentity identity, String owner) {
        String caller = identity.getPrincipal().getName();
        return fullAccess(identity) || caller != null && caller.equals(owner);
    }
}
