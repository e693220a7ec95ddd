package io.stowage.metadata.api;

import io.stowage.contract.SharedErrorCode;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.metadata.error.CatalogException;
import io.stowage.metadata.catalog.NewBucket;
import io.stowage.names.NameRules;

import java.util.List;
import java.util.regex.Pattern;

/** {@code POST /v1/buckets} body. */
public record CreateBucketRequest(
        String name,
        @JsonProperty("public") Boolean isPublic,
        Long fileSizeLimit,
        List<String> allowedMimeTypes,
        Boolean versioned,
        JsonNode maxBytes,
        JsonNode maxObjects) {

    /** type/subtype, or type/* as a wildcard (no parameters, so no commas). */
    private static final Pattern MIME_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/(\\*|[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*)");

    public NewBucket validated() {
        NameRules.requireBucket(name);
        checkFileSizeLimit(fileSizeLimit);
        checkMimeTypes(allowedMimeTypes);
        Long bytes = quota("maxBytes", maxBytes);
        Long objects = quota("maxObjects", maxObjects);
        return new NewBucket(name, Boolean.TRUE.equals(isPublic), fileSizeLimit,
                allowedMimeTypes == null ? null : List.copyOf(allowedMimeTypes), Boolean.TRUE.equals(versioned), bytes, objects);
    }

    static void checkFileSizeLimit(Long fileSizeLimit) {
        if (fileSizeLimit != null && fileSizeLimit < 0) {
            throw new CatalogException.InvalidInput(SharedErrorCode.InvalidRequest, "fileSizeLimit must be a number of bytes, 0 or more");
        }
    }

    /** A quota field as sent (read as JSON, so that 1.5 is refused rather than cut to 1), checked; null: none. */
    static Long quota(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new CatalogException.InvalidInput(SharedErrorCode.InvalidRequest, field + " must be a whole number, 0 or more, or null");
        }
        checkQuota(field, value.asLong());
        return value.asLong();
    }

    /** A quota is a whole number, 0 or more (0: nothing may be stored); null: none. */
    static void checkQuota(String field, Long quota) {
        if (quota != null && quota < 0) {
            throw new CatalogException.InvalidInput(SharedErrorCode.InvalidRequest, field + " must be a whole number, 0 or more, or null");
        }
    }

    static void checkMimeTypes(List<String> allowedMimeTypes) {
        if (allowedMimeTypes != null) {
            for (String type : allowedMimeTypes) {
                if (type == null || !MIME_TYPE.matcher(type).matches()) {
                    throw new CatalogException.InvalidInput(SharedErrorCode.InvalidRequest,
                            "allowedMimeTypes entries must look like 'image/png' or 'image/*'");
                }
            }
        }
    }
}
