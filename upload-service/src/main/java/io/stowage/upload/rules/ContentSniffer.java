package io.stowage.upload.rules;

import io.stowage.contract.MediaTypes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises a few formats from their magic numbers, so that a declared type is checked against
 * the bytes that actually landed, not only against a header the client chose.
 */
public final class ContentSniffer {

    /** The types this sniffer can confirm; a blob declared as one of them must start like one. */
    public static final Set<String> RECOGNISED =
            Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf");

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] GIF87 = "GIF87a".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GIF89 = "GIF89a".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RIFF = "RIFF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBP = "WEBP".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PDF = "%PDF-".getBytes(StandardCharsets.US_ASCII);

    private ContentSniffer() {
    }

    public static Optional<String> sniff(byte[] head) {
        if (startsWith(head, 0, PNG)) {
            return Optional.of("image/png");
        }
        if (startsWith(head, 0, JPEG)) {
            return Optional.of("image/jpeg");
        }
        if (startsWith(head, 0, GIF87) || startsWith(head, 0, GIF89)) {
            return Optional.of("image/gif");
        }
        if (startsWith(head, 0, RIFF) && startsWith(head, 8, WEBP)) {
            return Optional.of("image/webp");
        }
        if (startsWith(head, 0, PDF)) {
            return Optional.of("application/pdf");
        }
        return Optional.empty();
    }

    /**
     * Whether the bytes agree with the declared type: a recognised format must be declared as
     * itself, and a recognised type must be backed by its format. Other types cannot be checked.
     */
    public static boolean agrees(String declaredType, byte[] head) {
        String declared = MediaTypes.essence(declaredType);
        Optional<String> sniffed = sniff(head);
        if (sniffed.isPresent()) {
            return sniffed.get().equals(declared);
        }
        return !RECOGNISED.contains(declared);
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        return data.length >= offset + prefix.length
                && Arrays.equals(data, offset, offset + prefix.length, prefix, 0, prefix.length);
    }
}
