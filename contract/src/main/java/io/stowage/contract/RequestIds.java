package io.stowage.contract;

import java.util.regex.Pattern;

/**
 * The request id the gateway gives every request and each service carries on: the header, the span
 * attribute a trace is found by, and which ids are taken as they come (they end up in logs and trace
 * backends, so only short, plain tokens).
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String SPAN_ATTRIBUTE = "stowage.request_id";
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** Whether an id a caller sent may be used as it is. */
    public static boolean acceptable(String id) {
        return id != null && ACCEPTABLE.matcher(id).matches();
    }
}
