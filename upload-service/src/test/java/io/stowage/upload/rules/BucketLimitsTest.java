package io.stowage.upload.rules;

import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.client.BucketInfo;
import io.stowage.upload.error.UploadException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bucket's limits every upload path applies: size (413) and allowed types (415). */
class BucketLimitsTest {

    private static final BucketInfo IMAGES = new BucketInfo("photos", 1000L, List.of("image/png", "image/*"));
    private static final BucketInfo OPEN = new BucketInfo("docs", null, null);

    @Test
    void admitsWhatFitsTheSizeLimitAndTheAllowedTypes() {
        assertDoesNotThrow(() -> BucketLimits.check(IMAGES, 1000, "image/png"));
        assertDoesNotThrow(() -> BucketLimits.check(IMAGES, 0, "image/webp"));
        assertDoesNotThrow(() -> BucketLimits.check(OPEN, Long.MAX_VALUE, "application/octet-stream"));
    }

    @Test
    void refusesOverTheSizeLimitAsPayloadTooLarge() {
        UploadException e = assertThrows(UploadException.class, () -> BucketLimits.check(IMAGES, 1001, "image/png"));
        assertEquals(SharedErrorCode.PayloadTooLarge, e.code());
    }

    @Test
    void refusesATypeTheBucketDoesNotAllowAsInvalidMimeType() {
        UploadException e = assertThrows(UploadException.class, () -> BucketLimits.check(IMAGES, 10, "text/plain"));
        assertEquals(SharedErrorCode.InvalidMimeType, e.code());
    }
}
