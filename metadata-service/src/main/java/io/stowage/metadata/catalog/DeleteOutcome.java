package io.stowage.metadata.catalog;

import io.stowage.contract.ErrorCode;
import java.util.List;

/** What a delete-by-names did: the objects deleted, and the names it did not delete with why. */
public record DeleteOutcome(List<ObjectEntity> deleted, List<Failure> failed) {

    public record Failure(String name, ErrorCode error, String message) {
    }
}
