package io.stowage.metadata.api;

import io.stowage.metadata.catalog.DeleteOutcome;

import java.util.List;

/** What {@code POST /v1/files/delete} with names did: the deleted Files, and each name it left with why. */
public record DeleteResultView(List<FileView> deleted, List<Failure> failed) {

    public record Failure(String name, int statusCode, String error, String message) {
    }

    public static DeleteResultView of(DeleteOutcome outcome) {
        return new DeleteResultView(outcome.deleted().stream().map(FileView::of).toList(),
                outcome.failed().stream()
                        .map(f -> new Failure(f.name(), f.error().status(), f.error().name(), f.message())).toList());
    }
}
