package io.stowage.metadata.catalog;

import io.stowage.metadata.access.Visibility;

import java.util.List;

/**
 * The changeable metadata of an object. On updates a null field means "leave as it is"; an empty
 * string, list or JSON object clears it.
 *
 * @param metadata user metadata, a JSON object already size-checked
 */
public record ObjectDetails(Visibility visibility, List<String> sharedWith, String category, List<String> tags,
                            String metadata, String cacheControl) {

    public static final ObjectDetails NONE = new ObjectDetails(null, null, null, null, null, null);

    void applyTo(ObjectEntity o) {
        if (visibility != null) {
            o.visibility = visibility.wire();
        }
        if (sharedWith != null) {
            o.sharedWith = sharedWith.toArray(String[]::new);
        }
        if (category != null) {
            o.category = category.isEmpty() ? null : category;
        }
        if (tags != null) {
            o.tags = tags.toArray(String[]::new);
        }
        if (metadata != null) {
            o.userMetadata = metadata.equals("{}") ? null : metadata;
        }
        if (cacheControl != null) {
            o.cacheControl = cacheControl.isEmpty() ? null : cacheControl;
        }
    }
}
