package io.stowage.metadata.catalog;

import io.stowage.metadata.access.Visibility;

import java.util.ArrayList;
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

    /** The fields this change names, in the wire names of the File record (an updated event's {@code changed}). */
    public List<String> named() {
        List<String> named = new ArrayList<>();
        if (visibility != null) {
            named.add("visibility");
        }
        if (sharedWith != null) {
            named.add("sharedWith");
        }
        if (category != null) {
            named.add("category");
        }
        if (tags != null) {
            named.add("tags");
        }
        if (metadata != null) {
            named.add("metadata");
        }
        if (cacheControl != null) {
            named.add("cacheControl");
        }
        return named;
    }

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
