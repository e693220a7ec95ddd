package io.stowage.upload.rules;

import io.stowage.contract.MediaTypes;

import io.stowage.names.InvalidNameException;
import io.stowage.names.NameRules;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure rules of an upload: names (the shared NameRules), media types, allowed types and what the first bytes say. */
class UploadRulesTest {

    @Test
    void acceptsNamesWithDotsInsideSegmentsAndUnicode() {
        for (String ok : new String[]{"a.png", "cats/tom.png", "a..b/.hidden", "é/日本.txt", "x".repeat(1024), "emoji-😀.png"}) {
            assertEquals(ok, NameRules.requireObject(ok));
        }
    }

    @Test
    void refusesNamesThatAreAbsoluteTraversingControlOrNotUtf8() {
        for (String bad : new String[]{null, "", "/a", ".", "..", "a/./b", "a/../b", "a/..", "a\tb", "a\u007fb", "a\u0000b",
                "c1\u0085", "c1\u009f", "x".repeat(1025), "é".repeat(513), "bad\uD800surrogate"}) {
            InvalidNameException e = assertThrows(InvalidNameException.class, () -> NameRules.requireObject(bad), String.valueOf(bad));
            assertEquals("InvalidObjectName", e.code());
        }
    }

    @Test
    void recognisesCommonFormatsByTheirMagicNumbers() {
        assertEquals(Optional.of("image/png"), ContentSniffer.sniff(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0}));
        assertEquals(Optional.of("image/jpeg"), ContentSniffer.sniff(new byte[]{(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0}));
        assertEquals(Optional.of("image/gif"), ContentSniffer.sniff(ascii("GIF89a....")));
        assertEquals(Optional.of("image/webp"), ContentSniffer.sniff(ascii("RIFF\0\0\0\0WEBPVP8 ")));
        assertEquals(Optional.of("application/pdf"), ContentSniffer.sniff(ascii("%PDF-1.7")));
        assertEquals(Optional.empty(), ContentSniffer.sniff(ascii("RIFF\0\0\0\0WAVE")));
        assertEquals(Optional.empty(), ContentSniffer.sniff(new byte[0]));
    }

    @Test
    void aDeclaredTypeMustAgreeWithTheBytesWhereTheyCanBeRecognised() {
        assertTrue(ContentSniffer.agrees("image/png", new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}));
        assertFalse(ContentSniffer.agrees("image/png", ascii("<html>")));
        assertFalse(ContentSniffer.agrees("image/jpeg", ascii("GIF89a")));
        assertFalse(ContentSniffer.agrees("text/plain", ascii("%PDF-1.7")));
        assertTrue(ContentSniffer.agrees("text/plain", ascii("hello")));
        assertTrue(ContentSniffer.agrees("image/svg+xml", ascii("<svg/>")));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
