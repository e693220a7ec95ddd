package io.stowage.gateway.download;

import static io.stowage.gateway.download.Preconditions.Outcome.FAILED;
import static io.stowage.gateway.download.Preconditions.Outcome.NOT_MODIFIED;
import static io.stowage.gateway.download.Preconditions.Outcome.SERVE;
import static io.stowage.gateway.download.Preconditions.Outcome.SERVE_WHOLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conditional headers of a read against the catalog's validators, as a table. */
class PreconditionsTest {

    private static final String ETAG = "\"abc\"";
    /** Sun, 01 Mar 2026 10:00:00 GMT, with a fraction the HTTP-date cannot carry. */
    private static final Instant MODIFIED = Instant.parse("2026-03-01T10:00:00.750Z");
    private static final String AT = "Sun, 01 Mar 2026 10:00:00 GMT";
    private static final String BEFORE = "Sun, 01 Mar 2026 09:59:59 GMT";
    private static final String AFTER = "Sun, 01 Mar 2026 10:00:01 GMT";

    private static Preconditions.Outcome with(String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return Preconditions.evaluate(map::get, ETAG, MODIFIED);
    }

    @Test
    void ifMatchHoldsOnlyForTheCurrentStrongEtagOrAStar() {
        assertEquals(SERVE, with("If-Match", ETAG));
        assertEquals(SERVE, with("If-Match", "\"x\", \"abc\""));
        assertEquals(SERVE, with("If-Match", "*"));
        assertEquals(FAILED, with("If-Match", "\"old\""));
        // strong comparison: a weak tag never matches
        assertEquals(FAILED, with("If-Match", "W/\"abc\""));
    }

    @Test
    void ifUnmodifiedSinceFailsOnlyWhenChangedAfterTheDateToTheSecond() {
        assertEquals(SERVE, with("If-Unmodified-Since", AT));
        assertEquals(SERVE, with("If-Unmodified-Since", AFTER));
        assertEquals(FAILED, with("If-Unmodified-Since", BEFORE));
        // If-Match wins over If-Unmodified-Since (RFC 9110 §13.2.2)
        assertEquals(SERVE, with("If-Match", ETAG, "If-Unmodified-Since", BEFORE));
    }

    @Test
    void ifNoneMatchAndIfModifiedSinceAnswerNotModified() {
        assertEquals(NOT_MODIFIED, with("If-None-Match", ETAG));
        assertEquals(NOT_MODIFIED, with("If-None-Match", "W/\"abc\""));
        assertEquals(NOT_MODIFIED, with("If-None-Match", "*"));
        assertEquals(SERVE, with("If-None-Match", "\"other\""));
        assertEquals(NOT_MODIFIED, with("If-Modified-Since", AT));
        assertEquals(SERVE, with("If-Modified-Since", BEFORE));
        // If-None-Match wins over If-Modified-Since
        assertEquals(SERVE, with("If-None-Match", "\"other\"", "If-Modified-Since", AFTER));
        // a failed If-Match is 412 even when If-None-Match would say 304
        assertEquals(FAILED, with("If-Match", "\"old\"", "If-None-Match", ETAG));
    }

    @Test
    void ifRangeKeepsTheRangeOnlyWhileItsValidatorHolds() {
        assertEquals(SERVE, with("Range", "bytes=0-1", "If-Range", ETAG));
        assertEquals(SERVE_WHOLE, with("Range", "bytes=0-1", "If-Range", "\"old\""));
        assertEquals(SERVE, with("Range", "bytes=0-1", "If-Range", AT));
        assertEquals(SERVE_WHOLE, with("Range", "bytes=0-1", "If-Range", BEFORE));
        assertEquals(SERVE_WHOLE, with("Range", "bytes=0-1", "If-Range", "garbage"));
        assertEquals(SERVE, with("Range", "bytes=0-1"));
    }

    @Test
    void headersItCannotReadAreIgnored() {
        for (String header : List.of("If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since")) {
            assertEquals(SERVE, with(header, "garbage"), header);
        }
        assertEquals(SERVE, with("If-Unmodified-Since", "2024-13-45"));
    }

    @Test
    void anObjectWithoutValidatorsFailsIfMatchAndIgnoresDates() {
        assertEquals(FAILED, Preconditions.evaluate(Map.of("If-Match", ETAG)::get, null, null));
        assertEquals(SERVE, Preconditions.evaluate(Map.of("If-Unmodified-Since", BEFORE)::get, null, null));
    }

    @Test
    void readsTheTagsOfAList() {
        assertEquals(List.of("\"a\"", "W/\"b\"", "\"\""), Preconditions.tags("\"a\", W/\"b\" ,\"\""));
    }
}
