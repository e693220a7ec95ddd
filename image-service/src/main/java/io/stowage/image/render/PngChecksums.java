package io.stowage.image.render;

import java.util.zip.CRC32;

/**
 * Wrong PNG chunk checksums, set right before libvips reads the bytes. Small generated PNGs often
 * carry a bad CRC; imgproxy (and so Supabase) renders them, but libvips 8.14 reads PNG through
 * libpng, which treats a bad CRC in IHDR, PLTE or IDAT as fatal whatever {@code fail_on} says. Only
 * the 4-byte checksums change, never a chunk's data: damaged pixel data still fails in zlib (which
 * has its own Adler-32) or in libvips, and a truncated file is left as it is, so both are still
 * refused as corrupt.
 */
final class PngChecksums {

    private static final int SIGNATURE = 8;
    /** length (4) + type (4) + CRC (4) around a chunk's data */
    private static final int FRAME = 12;

    private PngChecksums() {
    }

    /**
     * The PNG with every complete chunk's CRC correct: the same array when all were already right,
     * else a copy. Walking stops at IEND or at the first chunk that does not fit in the bytes.
     */
    static byte[] repaired(byte[] png) {
        byte[] out = png;
        CRC32 crc = new CRC32();
        int at = SIGNATURE;
        while (at + FRAME <= png.length) {
            long length = Integer.toUnsignedLong(readInt(png, at));
            if (length > png.length - at - FRAME) {
                break;
            }
            crc.reset();
            crc.update(png, at + 4, 4 + (int) length);
            int expected = (int) crc.getValue();
            int crcAt = at + 8 + (int) length;
            if (readInt(png, crcAt) != expected) {
                if (out == png) {
                    out = png.clone();
                }
                writeInt(out, crcAt, expected);
            }
            if (png[at + 4] == 'I' && png[at + 5] == 'E' && png[at + 6] == 'N' && png[at + 7] == 'D') {
                break;
            }
            at = crcAt + 4;
        }
        return out;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void writeInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
