package io.stowage.gateway.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Values in an upstream URL's query. */
final class Encoding {

    private Encoding() {
    }

    /** A query value percent-encoded, a space as {@code %20}. */
    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
