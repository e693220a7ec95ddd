package io.stowage.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v1/objects/photos/a/b.txt | /v1/objects/photos/a/b.txt",
            "/v1/objects/photos/caf%C3%A9.txt | /v1/objects/photos/caf%C3%A9.txt",
            "/v1/objects/photos/a%20b | /v1/objects/photos/a%20b",
            "/img/unsafe/fit-in/300x200/filters:format(webp)/b/p.jpg | /img/unsafe/fit-in/300x200/filters:format(webp)/b/p.jpg",
            "/v1/objects/photos/%61%62 | /v1/objects/photos/ab",
            "/v1/objects/photos/a%2Fb | /v1/objects/photos/a%2Fb",
            "/v1/objects/photos/a%3Fb%23c | /v1/objects/photos/a%3Fb%23c",
            "/v1/objects/photos/...x/..y | /v1/objects/photos/...x/..y",
            "/ | /",
    })
    void keepsWhatIsAllowedInCanonicalForm(String raw, String canonical) {
        assertEquals(canonical, RequestPaths.canonicalPath(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1/objects/b/a/../../v/x",
            "/v1/objects/b/./x",
            "/v1/objects/b/%2e%2e/v/x",
            "/v1/objects/b/%2E./v/x",
            "/v1/objects/b/a%2F..%2Fx",
            "/v1/objects/b/a%00b",
            "/v1/objects/b/a%0Ab",
            "/v1/objects/b/a%7Fb",
            "/v1/objects/b/a%C2%85b",
            "/v1/objects/b/a%FFb",
            "/v1/objects/b/a%C3",
            "/v1/objects/b/a%ED%A0%80b",
            "/v1/objects/b/a%zz",
            "/v1/objects/b/a%4",
            "http://host/v1/buckets",
    })
    void refusesTraversalControlsAndBadEncodings(String raw) {
        assertThrows(InvalidNameException.class, () -> RequestPaths.canonicalPath(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prefix=a%00b", "x=%FF", "a=%zz", "q=%C2%9F"})
    void refusesBadQueries(String query) {
        assertThrows(InvalidNameException.class, () -> RequestPaths.checkQuery(query));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prefix=a%2Fb&limit=10", "download", "download=r%C3%A9sum%C3%A9.pdf", "token=a.b.c"})
    void takesOrdinaryQueries(String query) {
        RequestPaths.checkQuery(query);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "-a", "A", "a/b", "a b", "a\u0000"})
    void refusesBadBucketNames(String name) {
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> NameRules.requireBucket(name));
        assertEquals(InvalidNameException.BUCKET, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/../b", "./a", "a/.", "a\u0000b", "a\u0085b", "a\u009fb", "a\u007fb", "\ud800"})
    void refusesBadObjectNames(String name) {
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> NameRules.requireObject(name));
        assertEquals(InvalidNameException.OBJECT, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c.txt", "a//b", "caf\u00e9 \ud83d\ude00.png", "...", "a/..b"})
    void takesGoodObjectNames(String name) {
        assertEquals(name, NameRules.requireObject(name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a/b c/d?e | a/b%20c/d%3Fe", "caf\u00e9 | caf%C3%A9", "x#y | x%23y"})
    void encodesAPathSegmentBySegment(String decoded, String encoded) {
        assertEquals(encoded, RequestPaths.encodePath(decoded));
    }
}
