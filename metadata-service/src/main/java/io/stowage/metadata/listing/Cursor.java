package io.stowage.metadata.listing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where the next page starts: the sort key's value and the id of the last row returned (ties on
 * the key are broken by id). Opaque to clients: base64url of a small text form. {@code inclusive}
 * is used by delimiter listings, which resume at the first name after a common prefix.
 *
 * @param sort      the sort the cursor was made for; a cursor is only valid for the same sort
 * @param key       the sort key's value (name, ISO instant, or size)
 * @param id        the last row's id, or null when only the key matters (name sort)
 * @param inclusive whether a row with exactly {@code key} belongs to the next page
 */
public record Cursor(SortKey sort, String key, UUID id, boolean inclusive) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    public String encode() {
        String text = sort.wire() + "\n" + (inclusive ? "i" : "x") + "\n" + (id == null ? "" : id) + "\n" + key;
        return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor made for {@code expected}; anything else is an {@link IllegalArgumentException}. */
    public static Cursor decode(String token, SortKey expected) {
        String text;
        try {
            text = new String(DECODER.decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not one this service handed out");
        }
        String[] parts = text.split("\n", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("cursor is not one this service handed out");
        }
        SortKey sort = SortKey.parse(parts[0]);
        if (sort != expected) {
            throw new IllegalArgumentException("cursor was made for sort=" + sort.wire() + ", not sort=" + expected.wire());
        }
        try {
            UUID id = parts[2].isEmpty() ? null : UUID.fromString(parts[2]);
            Cursor cursor = new Cursor(sort, parts[3], id, "i".equals(parts[1]));
            cursor.keyValue();
            return cursor;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor is not one this service handed out");
        }
    }

    /** The key as the type of its column. */
    public Object keyValue() {
        return switch (sort) {
            case NAME -> key;
            case CREATED, UPDATED -> Instant.parse(key);
            case SIZE -> Long.parseLong(key);
        };
    }
}
