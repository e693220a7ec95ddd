package io.stowage.upload.blobs;

import io.stowage.upload.config.UploadConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Part buffers of direct and resumable uploads, off the Java heap: the bytes go from the socket to S3's socket
 * without filling the heap, and a few idle buffers are kept for the next upload instead of
 * allocating (and later freeing) 8 MiB of native memory each time.
 */
@ApplicationScoped
public class PartBuffers {

    private static final int MAX_IDLE = 4;

    private final int partSize;
    private final ConcurrentLinkedDeque<ByteBuffer> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    public PartBuffers(UploadConfig config) {
        this.partSize = config.directPartSize();
    }

    public int partSize() {
        return partSize;
    }

    public ByteBuffer take() {
        ByteBuffer buffer = idle.poll();
        if (buffer != null) {
            idleCount.decrementAndGet();
            return buffer.clear();
        }
        return ByteBuffer.allocateDirect(partSize);
    }

    public void give(ByteBuffer buffer) {
        if (buffer.isDirect() && buffer.capacity() == partSize && idleCount.incrementAndGet() <= MAX_IDLE) {
            idle.push(buffer.clear());
        } else if (buffer.isDirect() && buffer.capacity() == partSize) {
            idleCount.decrementAndGet();
        }
    }
}
