package io.stowage.gateway.supabase;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** Stowage's records in the JSON shapes Supabase Storage answers with. */
final class SupabaseShapes {

    private SupabaseShapes() {
    }

    static JsonObject bucket(JsonObject b) {
        return new JsonObject()
                .put("id", b.getString("name"))
                .put("name", b.getString("name"))
                .put("owner", b.getString("owner", ""))
                .put("public", b.getBoolean("public", false))
                .put("file_size_limit", b.getValue("fileSizeLimit"))
                .put("allowed_mime_types", b.getValue("allowedMimeTypes"))
                .put("created_at", b.getString("createdAt"))
                .put("updated_at", b.getString("updatedAt"));
    }

    /** The object metadata block of Supabase's listings and deletes. */
    static JsonObject objectMetadata(JsonObject f) {
        return new JsonObject()
                .put("eTag", quoted(f.getString("etag")))
                .put("size", f.getLong("size", 0L))
                .put("mimetype", f.getString("contentType"))
                .put("cacheControl", f.getString("cacheControl", "max-age=3600"))
                .put("lastModified", f.getString("updatedAt"))
                .put("contentLength", f.getLong("size", 0L))
                .put("httpStatusCode", 200);
    }

    /** A row of {@code POST /object/list}: the name relative to the listed prefix. */
    static JsonObject listEntry(JsonObject f, String prefix) {
        String name = f.getString("name");
        return new JsonObject()
                .put("name", name.startsWith(prefix) ? name.substring(prefix.length()) : name)
                .put("id", f.getString("id"))
                .put("updated_at", f.getString("updatedAt"))
                .put("created_at", f.getString("createdAt"))
                .put("last_accessed_at", f.getString("lastAccessedAt", f.getString("updatedAt")))
                .put("metadata", objectMetadata(f));
    }

    /** A folder (common prefix) in {@code POST /object/list}: a name and nulls, as Supabase gives them. */
    static JsonObject folder(String commonPrefix, String prefix) {
        String name = commonPrefix.startsWith(prefix) ? commonPrefix.substring(prefix.length()) : commonPrefix;
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return new JsonObject().put("name", name).putNull("id").putNull("updated_at").putNull("created_at")
                .putNull("last_accessed_at").putNull("metadata");
    }

    /** A deleted object in the answer of {@code DELETE /object/{bucket}}. */
    static JsonObject deleted(JsonObject f) {
        return new JsonObject()
                .put("name", f.getString("name"))
                .put("bucket_id", f.getString("bucket"))
                .put("owner", f.getString("owner"))
                .put("id", f.getString("id"))
                .put("updated_at", f.getString("updatedAt"))
                .put("created_at", f.getString("createdAt"))
                .put("last_accessed_at", f.getString("lastAccessedAt", f.getString("updatedAt")))
                .put("metadata", objectMetadata(f));
    }

    /** {@code GET /object/info/...}. */
    static JsonObject info(JsonObject f) {
        return new JsonObject()
                .put("id", f.getString("id"))
                .put("name", f.getString("name"))
                .put("version", f.getString("versionId"))
                .put("bucket_id", f.getString("bucket"))
                .put("size", f.getLong("size", 0L))
                .put("content_type", f.getString("contentType"))
                .put("cache_control", f.getString("cacheControl", "max-age=3600"))
                .put("etag", quoted(f.getString("etag")))
                .put("metadata", f.getValue("metadata", new JsonObject()))
                .put("last_modified", f.getString("updatedAt"))
                .put("created_at", f.getString("createdAt"));
    }

    static JsonObject key(JsonObject f) {
        return new JsonObject().put("Id", f.getString("id")).put("Key", f.getString("bucket") + "/" + f.getString("name"));
    }

    /** {@code file_size_limit} as Supabase takes it: a number of bytes, or a string such as "20MB". */
    static Long fileSizeLimit(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.longValue() <= 0 ? null : n.longValue();
        }
        String text = value.toString().trim().toUpperCase(Locale.ROOT).replace(" ", "");
        if (text.isEmpty()) {
            return null;
        }
        long unit = 1;
        for (String[] suffix : new String[][] {{"GB", "1000000000"}, {"MB", "1000000"}, {"KB", "1000"}, {"B", "1"}}) {
            if (text.endsWith(suffix[0])) {
                unit = Long.parseLong(suffix[1]);
                text = text.substring(0, text.length() - suffix[0].length());
                break;
            }
        }
        try {
            return Math.round(Double.parseDouble(text) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("file_size_limit '" + value + "' is not a size such as 1048576 or \"20MB\"");
        }
    }

    static JsonArray names(JsonArray files, String key) {
        JsonArray out = new JsonArray();
        files.forEach(f -> out.add(((JsonObject) f).getString(key)));
        return out;
    }

    private static String quoted(String etag) {
        if (etag == null || etag.isEmpty()) {
            return etag;
        }
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }
}
