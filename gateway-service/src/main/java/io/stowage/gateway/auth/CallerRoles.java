package io.stowage.gateway.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.stowage.contract.Roles;

/**
 * The one place the gateway reads roles from a caller's token (their names are the contract's
 * {@link Roles}). What a caller may see and change is decided by metadata-service's access rule
 * ({@code AccessPolicy}); the gateway asks it wherever it can. It decides here only what it must decide
 * itself before metadata-service is asked, such as whether a signed upload URL may overwrite (the
 * upload is later made as the gateway, which may write anything).
 */
public final class CallerRoles {

    private CallerRoles() {
    }

    /** Whether the caller holds a full-access role, as metadata-service counts them. */
    public static boolean fullAccess(SecurityIdentity identity) {
        return Roles.FULL_ACCESS.stream().anyMatch(identity::hasRole);
    }

    /** Whether the caller may replace an object owned by {@code owner}: its owner or a caller with full access. */
    public static boolean mayReplace(SecurityIdentity identity, String owner) {
        String caller = identity.getPrincipal().getName();
        return fullAccess(identity) || caller != null && caller.equals(owner);
    }
}
