package io.stowage.gateway.supabase;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RenderQueryTest {

    @Test
    void supabasesTransformBecomesTheRenderQuerySignedIntoTheToken() {
        JsonObject transform = new JsonObject().put("width", 200).put("height", 100).put("resize", "cover")
                .put("gravity", "fp").put("x_offset", 0.25).put("y_offset", -3).put("format", "origin").put("quality", 80);
        assertEquals("format=origin&gravity=fp&height=100&quality=80&resize=cover&width=200&x_offset=0.25&y_offset=-3",
                SignedUrlRoutes.renderQuery(transform));
    }

    @Test
    void noOptionsIsNoRendition() {
        assertNull(SignedUrlRoutes.renderQuery(null));
        assertNull(SignedUrlRoutes.renderQuery(new JsonObject()));
        assertNull(SignedUrlRoutes.renderQuery(new JsonObject().put("unknown", "x").putNull("width")));
    }

    @Test
    void valuesAreEncodedAndWrongTypesRefused() {
        assertEquals("resize=a%26b%3Dc", SignedUrlRoutes.renderQuery(new JsonObject().put("resize", "a&b=c")));
        assertThrows(IllegalArgumentException.class, () -> SignedUrlRoutes.renderQuery(new JsonObject().put("width", "200")));
        assertThrows(IllegalArgumentException.class, () -> SignedUrlRoutes.renderQuery(new JsonObject().put("width", 2.5)));
        assertThrows(IllegalArgumentException.class, () -> SignedUrlRoutes.renderQuery(new JsonObject().put("gravity", 1)));
        assertThrows(IllegalArgumentException.class, () -> SignedUrlRoutes.renderQuery(new JsonObject().put("x_offset", "0.5")));
    }
}
