package io.stowage.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.stream.Collectors;

/**
 * How every service words a request it refuses before its own code runs: the error code of the
 * HTTP layer's own refusals (no such route, wrong method, ...) and what is wrong with a JSON body.
 */
public final class Refusals {

    private Refusals() {
    }

    /** The error code of a status the REST layer answered by itself. */
    public static String code(int status) {
        return switch (status) {
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 406 -> "NotAcceptable";
            case 415 -> "UnsupportedMediaType";
            default -> status >= 500 ? "InternalError" : "InvalidRequest";
        };
    }

    /** What is wrong with a JSON body, naming the field when Jackson knows it. */
    public static String jsonProblem(JsonProcessingException e) {
        String problem = e.getOriginalMessage();
        int detail = problem == null ? -1 : problem.indexOf('\n');
        problem = detail < 0 ? problem : problem.substring(0, detail);
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return "field '" + field + "' has the wrong type or value: " + problem;
        }
        return "the request body is not valid JSON for this route: " + problem;
    }
}
