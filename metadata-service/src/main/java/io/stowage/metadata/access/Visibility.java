package io.stowage.metadata.access;

import io.stowage.contract.SharedErrorCode;
import io.stowage.metadata.error.CatalogException;

import java.util.Locale;

/** Who may read an object besides its owner and admins. */
public enum Visibility {
    /** Anyone. */
    PUBLIC,
    /** The owner only. */
    PRIVATE,
    /** Any signed-in user. */
    PROTECTED,
    /** The owner and the users listed in the object's {@code sharedWith}. */
    SHARED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form; null means the default, {@link #PRIVATE}. */
    public static Visibility parse(String value) {
        if (value == null) {
            return PRIVATE;
        }
        for (Visibility v : values()) {
            if (v.wire().equals(value)) {
                return v;
            }
        }
        throw new CatalogException.InvalidInput(SharedErrorCode.InvalidRequest,
                "visibility must be one of public, private, protected, shared");
    }
}
