package io.stowage.upload.blobs;

import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.concurrent.CompletionException;

/** Reads what an S3 call's failure means, through the async client's wrapping. */
public final class S3Failures {

    private S3Failures() {
    }

    public static boolean isNotFound(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof NoSuchKeyException || (t instanceof S3Exception s3 && s3.statusCode() == 404);
    }
}
