package io.stowage.metadata.api;

import io.stowage.contract.SharedErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.metadata.access.Visibility;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.catalog.ObjectDetails;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Checks the changeable metadata of an object at the edge, for registration and updates alike. */
final class Details {

    static final int MAX_TAGS = 50;
    static final int MAX_SHARED_WITH = 100;
    static final int MAX_TEXT = 256;

    private Details() {
    }

    static ObjectDetails of(String visibility, List<String> sharedWith, String category, List<String> tags,
                            JsonNode metadata, String cacheControl, int maxMetadataBytes) {
        Visibility v = visibility == null ? null : Visibility.parse(visibility);
        checkList("sharedWith", sharedWith, MAX_SHARED_WITH);
        checkList("tags", tags, MAX_TAGS);
        checkText("category", category);
        checkText("cacheControl", cacheControl);
        String json = null;
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                throw invalid("metadata must be a JSON object");
            }
            json = metadata.toString();
            int bytes = json.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxMetadataBytes) {
                throw new CatalogException.Refused(SharedErrorCode.PayloadTooLarge,
                        "metadata is " + bytes + " bytes of JSON; at most " + maxMetadataBytes + " are allowed");
            }
        }
        return new ObjectDetails(v, sharedWith == null ? null : List.copyOf(sharedWith), category,
                tags == null ? null : List.copyOf(tags), json, cacheControl);
    }

    private static void checkList(String field, List<String> values, int max) {
        if (values == null) {
            return;
        }
        if (values.size() > max) {
            throw invalid(field + " holds at most " + max + " entries");
        }
        for (String value : values) {
            if (value == null || value.isEmpty() || value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
                throw invalid(field + " entries must be 1-" + MAX_TEXT + " characters without control characters");
            }
        }
    }

    static void checkText(String field, String value) {
        if (value != null && (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl))) {
            throw invalid(field + " must be at most " + MAX_TEXT + " characters without control characters");
        }
    }

    static CatalogException invalid(String message) {
        return CatalogException.invalidRequest(message);
    }
}
