package io.stowage.gateway.supabase;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of a JSON request body: a field of the wrong type is a {@link WrongType} naming the
 * field (answered 400), never a ClassCastException that leaves the request unanswered. A field that
 * is missing or null reads as {@code absent}.
 */
final class Fields {

    private Fields() {
    }

    /** A field of the body has the wrong type. */
    static final class WrongType extends RuntimeException {
        WrongType(String field, String expected) {
            super("body/" + field + " must be " + expected, null, false, false);
        }
    }

    static String string(JsonObject body, String field) {
        return string(body, field, null);
    }

    static String string(JsonObject body, String field, String absent) {
        return typed(body, field, absent, String.class, "a string");
    }

    static Boolean bool(JsonObject body, String field) {
        return bool(body, field, null);
    }

    static Boolean bool(JsonObject body, String field, Boolean absent) {
        return typed(body, field, absent, Boolean.class, "a boolean");
    }

    static JsonObject object(JsonObject body, String field, JsonObject absent) {
        return typed(body, field, absent, JsonObject.class, "an object");
    }

    /** An integer field: a JSON number without a fraction that fits in an int. */
    static Integer integer(JsonObject body, String field, Integer absent) {
        Number n = typed(body, field, null, Number.class, "an integer");
        if (n == null) {
            return absent;
        }
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new WrongType(field, "an integer");
        }
        return n.intValue();
    }

    /** An array of strings. */
    static JsonArray strings(JsonObject body, String field) {
        JsonArray array = typed(body, field, null, JsonArray.class, "an array of strings");
        if (array != null && !array.stream().allMatch(v -> v instanceof String)) {
            throw new WrongType(field, "an array of strings");
        }
        return array;
    }

    private static <T> T typed(JsonObject body, String field, T absent, Class<T> type, String expected) {
        Object value = body.getValue(field);
        if (value == null) {
            return absent;
        }
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw new WrongType(field, expected);
    }
}
