package io.stowage.metadata.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.metadata.catalog.BucketChanges;
import io.stowage.metadata.error.CatalogException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code PATCH /v1/buckets/{name}} body: {@code {public?, fileSizeLimit?, allowedMimeTypes?, versioned?, maxBytes?, maxObjects?}}.
 * Read from the JSON tree, not bound to a record, because an absent field (left as it is) and a
 * {@code null} one (removes the limit) mean different things.
 */
public final class UpdateBucketRequest {

    private UpdateBucketRequest() {
    }

    /** The checked changes, or 400 {@code InvalidRequest}. */
    public static BucketChanges changes(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Details.invalid("a JSON object with the fields to change is required");
        }
        Boolean isPublic = bool(body, "public");
        Boolean versioned = bool(body, "versioned");
        Optional<Long> limit = wholeNumber(body, "fileSizeLimit");
        if (limit != null) {
            CreateBucketRequest.checkFileSizeLimit(limit.orElse(null));
        }
        Optional<Long> maxBytes = wholeNumber(body, "maxBytes");
        if (maxBytes != null) {
            CreateBucketRequest.checkQuota("maxBytes", maxBytes.orElse(null));
        }
        Optional<Long> maxObjects = wholeNumber(body, "maxObjects");
        if (maxObjects != null) {
            CreateBucketRequest.checkQuota("maxObjects", maxObjects.orElse(null));
        }
        Optional<List<String>> types = null;
        if (body.has("allowedMimeTypes")) {
            JsonNode v = body.get("allowedMimeTypes");
            if (v.isNull()) {
                types = Optional.empty();
            } else if (v.isArray()) {
                List<String> list = new ArrayList<>();
                v.forEach(t -> list.add(t.isTextual() ? t.asText() : null));
                CreateBucketRequest.checkMimeTypes(list);
                types = Optional.of(List.copyOf(list));
            } else {
                throw Details.invalid("allowedMimeTypes must be a list or null");
            }
        }
        return new BucketChanges(isPublic, limit, types, versioned, maxBytes, maxObjects);
    }

    /** A field that is a whole number that fits a long, or null (empty); the method returns null when the field is absent. */
    private static Optional<Long> wholeNumber(JsonNode body, String field) {
        if (!body.has(field)) {
            return null;
        }
        JsonNode v = body.get(field);
        if (v.isNull()) {
            return Optional.empty();
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || !v.isNumber()) {
            throw Details.invalid(field + " must be a whole number or null");
        }
        return Optional.of(v.asLong());
    }

    private static Boolean bool(JsonNode body, String field) {
        if (!body.has(field)) {
            return null;
        }
        if (!body.get(field).isBoolean()) {
            throw CatalogException.invalidRequest(field + " must be true or false");
        }
        return body.get(field).asBoolean();
    }
}
