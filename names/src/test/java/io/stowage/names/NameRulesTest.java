package io.stowage.names;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The naming rules of buckets and objects, as every service applies them. */
class NameRulesTest {

    @Test
    void acceptsBucketNamesOfLowercaseLettersDigitsDotsUnderscoresAndDashes() {
        assertEquals("photos", NameRules.requireBucket("photos"));
        assertEquals("0-my_bucket.v2", NameRules.requireBucket("0-my_bucket.v2"));
        assertEquals("a".repeat(63), NameRules.requireBucket("a".repeat(63)));
    }

    @Test
    void rejectsBucketNamesThatAreEmptyTooLongUppercaseOrStartWithPunctuation() {
        for (String bad : new String[] {null, "", "a".repeat(64), "Photos", "-photos", ".photos", "_photos", "pho tos", "pho/tos", "fotó"}) {
            InvalidNameException e = assertThrows(InvalidNameException.class, () -> NameRules.requireBucket(bad), String.valueOf(bad));
            assertEquals("InvalidBucketName", e.code());
        }
    }

    @Test
    void acceptsObjectNamesWithSlashesSpacesPunctuationAndEmoji() {
        for (String good : new String[] {"a", "dir/sub/file.png", "100% a+b #1 😀.txt", "..hidden", "a/.b/c", "trailing/", "x".repeat(1024)}) {
            assertEquals(good, NameRules.requireObject(good));
        }
    }

    @Test
    void countsTheObjectNameLimitInUtf8Bytes() {
        // 256 four-byte emoji are 1024 bytes: allowed; one more byte is not
        String emoji = "😀".repeat(256);
        assertEquals(emoji, NameRules.requireObject(emoji));
        assertInvalidObjectName(emoji + "a");
        assertInvalidObjectName("x".repeat(1025));
    }

    @Test
    void rejectsEmptyNamesControlCharactersDotSegmentsLeadingSlashAndBrokenUnicode() {
        for (String bad : new String[] {null, "", "a\nb", "tab\there", "nul\u0000", "del\u007f", "c1\u0085", ".", "..", "a/./b",
                "a/../b", "a/..", "./a", "/leading", "lone\uD800surrogate"}) {
            assertInvalidObjectName(bad);
        }
    }

    private static void assertInvalidObjectName(String name) {
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> NameRules.requireObject(name), String.valueOf(name));
        assertEquals("InvalidObjectName", e.code());
    }
}
