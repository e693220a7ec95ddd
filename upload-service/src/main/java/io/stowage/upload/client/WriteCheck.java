package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of metadata-service's {@code POST /internal/objects/write-checks}: may the caller (or, from a
 * Stowage service, {@code owner}) write {@code name} into {@code bucket}, replacing an existing object
 * only when {@code overwrite}?
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WriteCheck(String bucket, String name, boolean overwrite, String owner) {
}
