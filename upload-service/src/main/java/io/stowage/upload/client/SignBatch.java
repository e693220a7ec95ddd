package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** signing-service's {@code POST /v1/sign/batch}: requests in, one result (or error) per request out. */
public final class SignBatch {

    private SignBatch() {
    }

    public record Request(List<SignRequest> requests) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Response(List<JsonNode> results) {
    }
}
