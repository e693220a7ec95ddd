package io.stowage.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void acceptsMediaTypesWithWellFormedParametersOnly() {
        for (String ok : new String[]{"text/plain", "text/plain; charset=utf-8", "text/plain;charset=\"utf-8\"",
                "multipart/form-data; boundary=\"a b;c\"", "application/vnd.api+json", "text/plain ; a=1 ; b=\"x\\\"y\""}) {
            assertTrue(MediaTypes.isValid(ok), ok);
        }
        for (String bad : new String[]{null, "", "text", "text/", "/plain", "text/plain; charset=\"", "text/plain; charset=\"utf-8",
                "text/plain; charset", "text/plain; =x", "text/plain; charset=a b", "text/plain; charset=\"\u0001\"",
                "text/plain\r\nX: y", "text/pl ain"}) {
            assertFalse(MediaTypes.isValid(bad), String.valueOf(bad));
        }
    }

    @Test
    void matchesAllowedTypesWithWildcardsAndParameters() {
        assertTrue(MediaTypes.allowed(null, "text/plain"));
        assertTrue(MediaTypes.allowed(List.of(), "text/plain"));
        assertTrue(MediaTypes.allowed(List.of("image/*"), "image/png"));
        assertTrue(MediaTypes.allowed(List.of("image/*"), "IMAGE/PNG"));
        assertTrue(MediaTypes.allowed(List.of("text/plain"), "text/plain; charset=utf-8"));
        assertTrue(MediaTypes.allowed(List.of("image/jpeg"), "image/jpg"));
        assertTrue(MediaTypes.allowed(List.of("*/*"), "application/pdf"));
        assertFalse(MediaTypes.allowed(List.of("image/*"), "text/plain"));
        assertFalse(MediaTypes.allowed(List.of("image/*"), "imagex/png"));
        assertFalse(MediaTypes.allowed(List.of("image/png"), "image/gif"));
    }

    @Test
    void oneRuleForEveryServiceAliasesAndStarsIncluded() {
        assertTrue(MediaTypes.matches("image/jpeg", "image/jpg"));
        assertTrue(MediaTypes.matches("image/jpg", "image/jpeg; q=1"));
        assertTrue(MediaTypes.matches("*", "application/x-anything"));
        assertTrue(MediaTypes.matches("IMAGE/*", "image/webp"));
        assertFalse(MediaTypes.matches("image/*", null));
        assertFalse(MediaTypes.matches(null, "image/png"));
        assertEquals("image/jpeg", MediaTypes.essence(" Image/JPG ; x=y"));
    }
}
