package io.stowage.signing.tokens;

import java.util.Locale;
import java.util.Optional;

/** What a Stowage token grants: it opens exactly one kind of gateway route. */
public enum TokenScope {
    /** {@code GET /object/sign/{bucket}/{name}?token=} */
    DOWNLOAD,
    /** {@code PUT /object/upload/sign/{bucket}/{name}?token=} */
    UPLOAD,
    /** {@code GET /render/image/sign/{bucket}/{name}?token=} */
    IMAGE;

    /** The value of the {@code scope} claim. */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts {@code download} as well as the sign operation's name {@code stowage:download}. */
    public static Optional<TokenScope> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String bare = value.startsWith("stowage:") ? value.substring("stowage:".length()) : value;
        for (TokenScope scope : values()) {
            if (scope.claim().equals(bare)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
