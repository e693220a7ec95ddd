package io.stowage.upload.blobs;

import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.List;

/**
 * The ids of the JSON records kept under one prefix of the physical bucket ({@code uploads/{id}.json},
 * {@code tus/{id}.json}), read page by page: what the sweepers walk.
 */
public final class JsonRecords {

    private static final String SUFFIX = ".json";

    private JsonRecords() {
    }

    public static Uni<List<String>> ids(S3AsyncClient s3, String bucket, String prefix) {
        return page(s3, bucket, prefix, null, new ArrayList<>());
    }

    private static Uni<List<String>> page(S3AsyncClient s3, String bucket, String prefix, String continuation, List<String> found) {
        return Uni.createFrom().completionStage(() -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)
                        .continuationToken(continuation)))
                .chain(page -> {
                    for (S3Object object : page.contents()) {
                        String key = object.key();
                        if (key.endsWith(SUFFIX)) {
                            found.add(key.substring(prefix.length(), key.length() - SUFFIX.length()));
                        }
                    }
                    return Boolean.TRUE.equals(page.isTruncated()) && page.nextContinuationToken() != null
                            ? page(s3, bucket, prefix, page.nextContinuationToken(), found)
                            : Uni.createFrom().item(found);
                });
    }
}
