package io.stowage.image;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Images made for the tests, so that every expected pixel is known. */
public final class TestImages {

    public static final Color RED = new Color(255, 0, 0);
    public static final Color BLUE = new Color(0, 0, 255);

    private TestImages() {
    }

    /** A {@code width}x{@code height} image, left half red, right half blue. */
    public static byte[] halves(int width, int height, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return encode(image, format);
    }

    /** A red square of {@code side} on a white border of {@code border} pixels, as PNG. */
    public static byte[] framed(int side, int border) {
        BufferedImage image = new BufferedImage(side + 2 * border, side + 2 * border, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(RED);
        g.fillRect(border, border, side, side);
        g.dispose();
        return encode(image, "png");
    }

    /** A fully transparent PNG. */
    public static byte[] transparent(int width, int height) {
        return encode(new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB), "png");
    }

    public static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalArgumentException("not a JPEG or PNG");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A decompression bomb: a valid 1-bit PNG of {@code side}x{@code side} pixels, all black, whose
     * rows deflate to a few tens of KB but would take side² pixels once decoded.
     */
    public static byte[] pngBomb(int side) {
        try {
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
                byte[] row = new byte[1 + (side + 7) / 8];
                for (int y = 0; y < side; y++) {
                    z.write(row);
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(png);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(side);
            h.writeInt(side);
            h.write(new byte[] {1, 0, 0, 0, 0});
            chunk(out, "IHDR", ihdr.toByteArray());
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code png} with one byte of the checksum of its first {@code chunk} (e.g. IHDR, IDAT) flipped, as
     * small generated PNGs often have it; the chunk's data is untouched.
     */
    public static byte[] badChecksum(byte[] png, String chunk) {
        byte[] bytes = png.clone();
        int at = 8;
        while (at + 12 <= bytes.length) {
            int length = java.nio.ByteBuffer.wrap(bytes, at, 4).getInt();
            if (new String(bytes, at + 4, 4, java.nio.charset.StandardCharsets.US_ASCII).equals(chunk)) {
                bytes[at + 8 + length + 1] ^= 0x5a;
                return bytes;
            }
            at += 12 + length;
        }
        throw new IllegalArgumentException("no " + chunk + " chunk");
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
