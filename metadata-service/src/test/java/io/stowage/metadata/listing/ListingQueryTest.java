package io.stowage.metadata.listing;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListingQueryTest {

    @Test
    void cursorsRoundTripAndRefuseAnotherSortOrGarbage() {
        Cursor byName = new Cursor(SortKey.NAME, "dir/100% ü 😀\nx", null, false);
        assertEquals(byName, Cursor.decode(byName.encode(), SortKey.NAME));
        Cursor byCreated = new Cursor(SortKey.CREATED, "2026-01-01T00:00:00.123456Z", UUID.randomUUID(), true);
        assertEquals(byCreated, Cursor.decode(byCreated.encode(), SortKey.CREATED));
        assertEquals(Instant.parse("2026-01-01T00:00:00.123456Z"), byCreated.keyValue());
        assertThrows(IllegalArgumentException.class, () -> Cursor.decode(byName.encode(), SortKey.SIZE));
        assertThrows(IllegalArgumentException.class, () -> Cursor.decode("not base64!", SortKey.NAME));
        assertThrows(IllegalArgumentException.class,
                () -> Cursor.decode(new Cursor(SortKey.SIZE, "ten", null, false).encode(), SortKey.SIZE));
    }

    @Test
    void successorIsTheFirstStringAfterEveryExtensionOfThePrefix() {
        assertEquals("b", ListingQuery.successor("a"));
        assertEquals("docs0", ListingQuery.successor("docs/"));
        assertEquals("\uE000", ListingQuery.successor("\uD7FF"));
        assertEquals("b", ListingQuery.successor("a" + new String(Character.toChars(Character.MAX_CODE_POINT))));
        assertNull(ListingQuery.successor(new String(Character.toChars(Character.MAX_CODE_POINT))));
        String emoji = "x😀";
        assertTrue(ListingQuery.successor(emoji).compareTo(emoji + "zzz") > 0);
    }

    @Test
    void escapesLikeWildcardsSoSearchIsLiteral() {
        assertEquals("100\\% a\\_b \\\\", ListingQuery.escapeLike("100% a_b \\"));
    }

    @Test
    void buildsKeysetAndOffsetSqlWithJdbcPlaceholdersInOrder() {
        ListingQuery.Sql keyset = new ListingQuery().bucket("b").prefix("p/").search("x%").readableBy("alice")
                .sort(SortKey.SIZE, true).limit(11)
                .after(new Cursor(SortKey.SIZE, "42", new UUID(0, 7), false)).build();
        assertTrue(keyset.text().contains("(size, id) < (:k, :id)"), keyset.text());
        assertTrue(keyset.text().endsWith("ORDER BY size DESC, id DESC LIMIT :limit"), keyset.text());
        ListingQuery.Jdbc jdbc = keyset.jdbc();
        assertEquals(List.of("b", "p/", "p0", "%x\\%%", 42L, new UUID(0, 7), "alice", "alice", 11), jdbc.values());
        assertTrue(!jdbc.text().contains(":"), jdbc.text());

        ListingQuery.Sql offset = new ListingQuery().bucket("b").limit(5).offset(20).build();
        assertTrue(offset.text().endsWith("ORDER BY name ASC LIMIT :limit OFFSET :offset"), offset.text());
        assertEquals(List.of("b", 5, 20), offset.jdbc().values());
    }

    @Test
    void aNonAdminsPageByNameIsAUnionOfOneOrderedBranchPerWayARowIsReadable() {
        ListingQuery.Sql sql = new ListingQuery().bucket("b").readableBy("alice").limit(11)
                .after(new Cursor(SortKey.NAME, "m", null, false)).offset(20).build();
        assertEquals(4, sql.text().split("UNION ALL", -1).length, sql.text());
        assertTrue(sql.text().contains("owner = :subject AND visibility IN ('private', 'shared')"), sql.text());
        assertTrue(sql.text().contains("visibility = 'shared' AND owner <> :subject AND :subject = ANY (shared_with)"), sql.text());
        assertTrue(sql.text().endsWith(") readable ORDER BY name ASC LIMIT :limit OFFSET :offset"), sql.text());
        // each branch stops after what the page (and the rows it skips) can need
        assertEquals(31, sql.params().get("branchlimit"));
        assertTrue(!sql.jdbc().text().contains(":"), sql.jdbc().text());

        ListingQuery.Sql anonymous = new ListingQuery().bucket("b").readableBy(null).limit(5).build();
        assertTrue(!anonymous.text().contains("UNION ALL") && anonymous.text().contains("visibility = 'public'"), anonymous.text());
    }
}
