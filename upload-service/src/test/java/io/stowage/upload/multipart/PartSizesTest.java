package io.stowage.upload.multipart;

import io.stowage.upload.error.UploadException;
import io.stowage.upload.pending.PendingUpload;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PartSizesTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void choosesEightMebibytesUnlessTenThousandPartsNeedMore() {
        assertEquals(8 * MIB, MultipartUploads.partSize(1, null));
        assertEquals(8 * MIB, MultipartUploads.partSize(10_000 * 8 * MIB, null));
        // 100 GiB needs parts of at least 10.24 MiB: rounded up to 11 MiB
        assertEquals(11 * MIB, MultipartUploads.partSize(100 * 1024 * MIB, null));
        assertEquals(10_000, MultipartUploads.partCount(10_000 * 8 * MIB, 8 * MIB));
        assertEquals(3, MultipartUploads.partCount(12 * MIB, 5 * MIB));
    }

    @Test
    void refusesPartSizesS3DoesNotTake() {
        assertThrows(UploadException.class, () -> MultipartUploads.partSize(100 * MIB, 5 * MIB - 1));
        assertThrows(UploadException.class, () -> MultipartUploads.partSize(10_001 * 5 * MIB, 5 * MIB));
        assertEquals(5 * MIB, MultipartUploads.partSize(10_000 * 5 * MIB, 5 * MIB));
    }

    @Test
    void theLastPartHoldsTheRest() {
        PendingUpload upload = new PendingUpload("u", "alice", "b", "p", "application/octet-stream", 12 * MIB, "blobs/x",
                null, Instant.EPOCH, Instant.EPOCH, null, null, PendingUpload.MULTIPART, "s3-id", 5 * MIB, 3, null);
        assertEquals(5 * MIB, MultipartUploads.partLength(upload, 1));
        assertEquals(5 * MIB, MultipartUploads.partLength(upload, 2));
        assertEquals(2 * MIB, MultipartUploads.partLength(upload, 3));
    }
}
