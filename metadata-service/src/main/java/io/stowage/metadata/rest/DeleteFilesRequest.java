package io.stowage.metadata.rest;

import java.util.List;

/** {@code POST /v1/files/delete}: either names (deleted now) or a prefix (a background job). */
public record DeleteFilesRequest(String bucket, List<String> names, String prefix) {
}
