package io.stowage.metadata.api;

import io.stowage.contract.SharedErrorCode;
import com.fasterxml.jackson.annotation.JsonProperty;
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
        Boolean versioned) {

    /** type/subtype, or type/* as a wildcard (no parameters, so no commas). */
    private static final Pattern MIME_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/(\\*|[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*)");

    public NewBucket validated() {
        NameRules.requireBucket(name);
        checkFileSizeLimit(fileSizeLimit);
        checkMimeTypes(allowedMimeTypes);
        return new NewBucket(name, Boolean.TRUE.equals(isPublic), fileSizeLimit,
                allowedMimeTypes == null ? null : List.copyOf(allowedMimeTypes), Boolean.TRUE.equals(versioned));
    }

    static void checkFileSizeLimit(Long fileSizeLimit) {
        if (fileSizeLimit != null && fileSizeLimit < 0) {
            throw new CatalogException.InvalidInput(SharedErrorCode.InvalidRequest, "fileSizeLimit must be a number of bytes, 0 or more");
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
