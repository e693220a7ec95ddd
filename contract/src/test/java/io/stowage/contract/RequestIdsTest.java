package io.stowage.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void takesShortPlainTokensOnly() {
        assertTrue(RequestIds.acceptable("req-123"));
        assertTrue(RequestIds.acceptable("0f8c:a.b_c-d"));
        assertTrue(RequestIds.acceptable("x".repeat(128)));
        assertFalse(RequestIds.acceptable(null));
        assertFalse(RequestIds.acceptable(""));
        assertFalse(RequestIds.acceptable("x".repeat(129)));
        assertFalse(RequestIds.acceptable("a b"));
        assertFalse(RequestIds.acceptable("a\nb"));
    }
}
