package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of metadata-service's {@code POST /internal/objects/write-checks}: may the caller (or, from a
 * Stowage service, {@code owner}) write {@code name} into {@code bucket}, replacing an existing object
 * only when {@code overwrite}, and does an object of {@code size} bytes fit the quotas? With
 * {@code checkName} false only the bucket and the quotas are asked about.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WriteCheck(String bucket, String name, boolean overwrite, String owner, Long size, Boolean checkName) {

    /** The name and the quotas (an object of unknown size still counts one). */
    public WriteCheck(String bucket, String name, boolean overwrite, String owner, Long size) {
        this(bucket, name, overwrite, owner, size, null);
    }

    /**
     * The quotas alone, for a new object of {@code size} bytes (with {@code overwrite}, the object it would
     * replace no longer counts): the name is decided at registration.
     */
    public static WriteCheck quotaOnly(String bucket, String name, boolean overwrite, String owner, long size) {
        return new WriteCheck(bucket, name, overwrite, owner, size, false);
    }
}
