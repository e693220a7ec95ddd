package io.stowage.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class UploadChecksTest {

    private static final JsonObject LIMITED = new JsonObject().put("fileSizeLimit", 1000)
            .put("allowedMimeTypes", new JsonArray().add("image/*").add("text/plain"));

    @Test
    void letsThroughWhatTheBucketAllows() {
        assertNull(UploadChecks.refusal(LIMITED, "1000", "image/png"));
        assertNull(UploadChecks.refusal(LIMITED, null, "text/plain; charset=utf-8"));
        assertNull(UploadChecks.refusal(new JsonObject(), "999999999", "application/x-anything"));
    }

    @Test
    void refusesADeclaredSizeOverTheLimit() {
        assertEquals("size:", UploadChecks.refusal(LIMITED, "1001", "image/png").substring(0, 5));
    }

    @Test
    void refusesATypeTheBucketDoesNotAllowWildcardsIncluded() {
        assertEquals("type:mime type application/pdf is not supported", UploadChecks.refusal(LIMITED, "10", "application/pdf"));
        assertEquals("type:", UploadChecks.refusal(LIMITED, "10", "imagex/png").substring(0, 5));
    }

    @Test
    void leavesFormBodiesToTheServiceWhichSeesThePartsType() {
        assertNull(UploadChecks.refusal(LIMITED, "10", "multipart/form-data; boundary=x"));
    }
}
