package io.stowage.signing.presign;

import io.stowage.signing.error.SigningException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BlobKeysTest {

    @Test
    void acceptsOpaqueBlobKeysAndDottedNames() {
        assertEquals("blobs/0b6f", BlobKeys.requireValid("blobs/0b6f"));
        assertEquals("a/b..c/.hidden/x.png", BlobKeys.requireValid("a/b..c/.hidden/x.png"));
        assertEquals("é/ü", BlobKeys.requireValid("é/ü"));
    }

    @Test
    void refusesKeysThatCouldEscapeOrBeReadTwoWays() {
        for (String bad : new String[]{null, "", "/blobs/x", "..", "blobs/..", "../x", "a/./b", "a//b", "a/",
                "a\nb", "a\u0000b", "a\u007fb", "x".repeat(1025), "é".repeat(513)}) {
            assertThrows(SigningException.InvalidRequest.class, () -> BlobKeys.requireValid(bad), String.valueOf(bad));
        }
    }

    @Test
    void acceptsAKeyOfExactly1024Bytes() {
        assertEquals(1024, BlobKeys.requireValid("x".repeat(1024)).length());
    }
}
