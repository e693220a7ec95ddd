package io.stowage.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RolesTest {

    @Test
    void administratorsServiceKeysAndServicesHaveFullAccess() {
        assertTrue(Roles.fullAccess(Set.of("storage-admin")));
        assertTrue(Roles.fullAccess(Set.of("authenticated", "service_role")));
        assertTrue(Roles.fullAccess(Set.of("stowage-service")));
        assertFalse(Roles.fullAccess(Set.of("authenticated", "anon")));
        assertFalse(Roles.fullAccess(Set.of()));
        assertFalse(Roles.fullAccess(null));
    }

    @Test
    void servicesAreNotBucketAdministrators() {
        assertEquals(Set.of("storage-admin", "service_role"), Roles.ADMINS);
    }

    @Test
    void rolesAreReadFromGroupsKeycloakAndSupabaseClaims() {
        assertEquals("groups,realm_access/roles,role", Roles.CLAIM_PATHS);
    }
}
