package io.stowage.metadata.listing;

import java.util.Locale;

/** What a listing is ordered by; each has an index on (bucket, column, id) over current rows. */
public enum SortKey {
    NAME("name"),
    CREATED("created_at"),
    UPDATED("updated_at"),
    SIZE("size");

    private final String column;

    SortKey(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code name|created|updated|size}; null means name. */
    public static SortKey parse(String value) {
        if (value == null || value.isEmpty()) {
            return NAME;
        }
        for (SortKey k : values()) {
            if (k.wire().equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("sort must be one of name, created, updated, size");
    }
}
