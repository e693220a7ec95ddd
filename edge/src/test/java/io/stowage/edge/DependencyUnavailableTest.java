package io.stowage.edge;

import io.stowage.edge.DependencyUnavailable.Dependency;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DependencyUnavailableTest {

    @Test
    void namesTheDependencyInItsCodeAndMessage() {
        DependencyUnavailable e = new DependencyUnavailable(Dependency.STORAGE, "connection refused", null);
        assertEquals("StorageUnavailable", e.code());
        assertEquals(503, e.status());
        assertEquals("the object store is unavailable: connection refused", e.getMessage());
        assertEquals(DependencyUnavailable.DEFAULT_RETRY_AFTER_SECONDS, e.retryAfterSeconds());
    }

    @Test
    void retryAfterIsAtLeastOneSecond() {
        assertEquals(1, new DependencyUnavailable(Dependency.CATALOG, null, 0, null).retryAfterSeconds());
        assertEquals("the catalog is unavailable", new DependencyUnavailable(Dependency.CATALOG, " ", null).getMessage());
    }

    @Test
    void outageCodesAreRecognisedAndOthersAreNot() {
        for (Dependency d : Dependency.values()) {
            assertTrue(DependencyUnavailable.isOutageCode(d.code()));
            assertEquals(d, Dependency.ofCode(d.code()));
        }
        assertFalse(DependencyUnavailable.isOutageCode("InternalError"));
        assertFalse(DependencyUnavailable.isOutageCode(null));
        assertNull(Dependency.ofCode("UpstreamUnavailable"));
    }
}
