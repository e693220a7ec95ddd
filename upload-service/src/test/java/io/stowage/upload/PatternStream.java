package io.stowage.upload;

import java.io.InputStream;

/** A body of any length generated on the fly (never held as one array), the same bytes every time. */
final class PatternStream extends InputStream {

    private final long size;
    private long position;

    PatternStream(long size) {
        this.size = size;
    }

    static byte at(long i) {
        return (byte) (i * 31 + (i >>> 11));
    }

    @Override
    public int read() {
        return position < size ? at(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = at(position++);
        }
        return n;
    }
}
