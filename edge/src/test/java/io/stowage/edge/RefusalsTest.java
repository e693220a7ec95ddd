package io.stowage.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RefusalsTest {

    record Request(String name, int size, boolean open) {
    }

    private static final ObjectMapper STRICT = new ObjectMapper();

    static {
        new StrictJson().customize(STRICT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"a\",\"size\":\"10\",\"open\":true} | size",
            "{\"name\":\"a\",\"size\":10,\"open\":\"yes\"} | open",
            "{\"name\":5,\"size\":10,\"open\":true} | name",
            "{\"name\":true,\"size\":10,\"open\":true} | name"})
    void refusesScalarsOfTheWrongTypeNamingTheField(String body, String field) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> STRICT.readValue(body, Request.class));
        assertTrue(Refusals.jsonProblem(e).startsWith("field '" + field + "'"), Refusals.jsonProblem(e));
    }

    @ParameterizedTest
    @CsvSource({"404,NotFound", "405,MethodNotAllowed", "415,UnsupportedMediaType", "400,InvalidRequest", "503,InternalError"})
    void namesTheRestLayersOwnRefusals(int status, String code) {
        assertEquals(code, Refusals.code(status));
    }
}
