package io.stowage.signing.rest;

import java.util.List;

/** Body of {@code POST /v1/sign/batch}: 1 to 1,000 sign requests. */
public record BatchSignRequest(List<SignRequest> requests) {
}
