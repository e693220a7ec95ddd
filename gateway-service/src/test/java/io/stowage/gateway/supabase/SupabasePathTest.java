package io.stowage.gateway.supabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.names.InvalidNameException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupabasePathTest {

    @Test
    void readsTheSegmentsAfterThePrefixIgnoringOneTrailingSlash() {
        assertEquals(List.of("object", "photos", "a", "b.txt"), SupabasePath.parse("/object/photos/a/b.txt/").segments());
        assertEquals(List.of("bucket", ""), SupabasePath.parse("/bucket//").segments());
        assertEquals(List.of(), SupabasePath.parse("").segments());
    }

    @Test
    void fitsARouteByItsLiteralsAndItsNumberOfSegments() {
        SupabasePath path = SupabasePath.parse("/object/sign/photos/a.txt");
        assertTrue(path.fits(4, Integer.MAX_VALUE, "object", "sign"));
        assertTrue(path.fits(4, 4, "object", null, "photos"));
        assertFalse(path.fits(3, 3, "object", "sign"));
        assertFalse(path.fits(4, 4, "object", "list"));
        // an empty segment Vert.x folded away does not shift a name into a route's word
        assertFalse(SupabasePath.parse("/object//sign/photos/a.txt").fits(4, Integer.MAX_VALUE, "object", "sign"));
    }

    @Test
    void keepsNamesEncodedAndChecked() {
        SupabasePath path = SupabasePath.parse("/object/photos/caf%C3%A9/a%20b.txt");
        assertEquals("photos/caf%C3%A9/a%20b.txt", path.bucketAndName(1));
        assertEquals("café/a b.txt", SupabasePath.decode(path.name(2)));
        assertThrows(InvalidNameException.class, () -> SupabasePath.parse("/object/Not_A_Bucket/x").bucket(1));
        assertThrows(InvalidNameException.class, () -> SupabasePath.parse("/object/photos//x").name(2));
    }
}
