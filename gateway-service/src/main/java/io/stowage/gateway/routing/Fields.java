package io.stowage.gateway.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of a JSON request body (the Supabase routes' and the native signing routes'): a field of the wrong type is a {@link WrongType} naming the
 * field (answered 400), never a ClassCastException that leaves the request unanswered. A field that
 * is missing or null reads as {@code absent}.
 */
public final class Fields {

    private Fields() {
    }

    /** A field of the body has the wrong type. */
    public static final class WrongType extends RuntimeException {
        public WrongType(String field, String expected) {
            super("body/" + field + " must be " + expected, null, false, false);
        }
    }

    public static String string(JsonObject body, String field) {
        return string(body, field, null);
    }

    public static String string(JsonObject body, String field, String absent) {
        return typed(body, field, absent, String.class, "a string");
    }

    public static Boolean bool(JsonObject body, String field) {
        return bool(body, field, null);
    }

    public static Boolean bool(JsonObject body, String field, Boolean absent) {
        return typed(body, field, absent, Boolean.class, "a boolean");
    }

    public static JsonObject object(JsonObject body, String field, JsonObject absent) {
        return typed(body, field, absent, JsonObject.class, "an object");
    }

    /** An integer field: a JSON number without a fraction that fits in an int. */
    public static Integer integer(JsonObject body, String field, Integer absent) {
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

    /** A count of bytes or the like: a JSON number without a fraction, 0 or more, that fits in a long. */
    public static Long count(JsonObject body, String field) {
        Number n = typed(body, field, null, Number.class, "a whole number, 0 or more");
        if (n == null) {
            return null;
        }
        if (n instanceof Double || n instanceof Float || n instanceof java.math.BigDecimal || n instanceof java.math.BigInteger
                || n.longValue() < 0) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || d < 0 || d >= 9.2e18) {
                throw new WrongType(field, "a whole number, 0 or more");
            }
        }
        return n.longValue();
    }

    /** An array of strings. */
    public static JsonArray strings(JsonObject body, String field) {
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
