package io.stowage.metadata.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.metadata.catalog.BucketChanges;
import io.stowage.metadata.error.CatalogException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code PATCH /v1/buckets/{name}} body: {@code {public?, fileSizeLimit?, allowedMimeTypes?, versioned?}}.
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
        Optional<Long> limit = null;
        if (body.has("fileSizeLimit")) {
            JsonNode v = body.get("fileSizeLimit");
            if (!v.isNull() && !v.canConvertToExactIntegral()) {
                throw Details.invalid("fileSizeLimit must be a number of bytes or null");
            }
            limit = v.isNull() ? Optional.empty() : Optional.of(v.asLong());
            CreateBucketRequest.checkFileSizeLimit(limit.orElse(null));
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
        return new BucketChanges(isPublic, limit, types, versioned);
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
