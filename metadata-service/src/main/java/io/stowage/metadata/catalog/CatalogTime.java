package io.stowage.metadata.catalog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The catalog's timestamps. */
public final class CatalogTime {

    private CatalogTime() {
    }

    /** PostgreSQL keeps microseconds: truncate so what we return equals what we stored. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
