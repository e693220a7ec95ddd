package io.stowage.signing.rest;

import java.util.Map;

/** Answer of {@code POST /v1/sign}; {@code expiresAt} is an ISO-8601 instant. */
public record SignResponse(String url, String method, Map<String, String> headers, String expiresAt) {
}
