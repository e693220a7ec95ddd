package io.stowage.gateway.supabase;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of a JSON request body: a field of the wrong type is a {@link WrongType} naming the
 * field (answered 400), never a ClassCastException that leaves the request unanswered.
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
        Object value = body.getValue(field);
        if (value == null) {
            return absent;
        }
        if (value instanceof String s) {
            return s;
        }
        throw new WrongType(field, "a string");
    }

    static Boolean bool(JsonObject body, String field, Boolean absent) {
        Object value = body.getValue(field);
        if (value == null) {
            return absent;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new WrongType(field, "a boolean");
    }

    static Boolean bool(JsonObject body, String field) {
        return bool(body, field, null);
    }

    /** An integer field: a JSON number without a fraction that fits in an int. */
    static Integer integer(JsonObject body, String field, Integer absent) {
        Object value = body.getValue(field);
        if (value == null) {
            return absent;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw new WrongType(field, "an integer");
    }

    static JsonObject object(JsonObject body, String field, JsonObject absent) {
        Object value = body.getValue(field);
        if (value == null) {
            return absent;
        }
        if (value instanceof JsonObject o) {
            return o;
        }
        throw new WrongType(field, "an object");
    }

    static JsonObject object(JsonObject body, String field) {
        return object(body, field, null);
    }

    /** An array of strings, or {@code absent} when the field is missing or null. */
    static JsonArray strings(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonArray array && array.stream().allMatch(v -> v instanceof String)) {
            return array;
        }
        throw new WrongType(field, "an array of strings");
    }
}
