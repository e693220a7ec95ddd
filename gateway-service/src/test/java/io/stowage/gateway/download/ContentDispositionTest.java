package io.stowage.gateway.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void noDownloadParameterMeansInline() {
        assertNull(Downloads.contentDisposition(null, "docs/a.txt"));
    }

    @Test
    void bareDownloadUsesTheObjectsOwnFileName() {
        assertEquals("attachment; filename=\"a.txt\"; filename*=UTF-8''a.txt", Downloads.contentDisposition("", "docs/a.txt"));
    }

    @Test
    void givenNameIsEncodedForAnyUtf8AndCannotBreakTheHeader() {
        assertEquals("attachment; filename=\"caf_ _1_.png\"; filename*=UTF-8''caf%C3%A9%20%221%22.png",
                Downloads.contentDisposition("café \"1\".png", "x"));
        assertEquals("attachment; filename=\"evil.sh\"; filename*=UTF-8''evil.sh",
                Downloads.contentDisposition("../../evil.sh", "x"));
    }
}
