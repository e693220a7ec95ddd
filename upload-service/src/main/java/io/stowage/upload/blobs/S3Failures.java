package io.stowage.upload.blobs;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.concurrent.CompletionException;

/** Reads what an S3 call's failure means, through the async client's wrapping. */
public final class S3Failures {

    private S3Failures() {
    }

    public static boolean isNotFound(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof NoSuchKeyException || t instanceof NoSuchUploadException
                || (t instanceof S3Exception s3 && s3.statusCode() == 404);
    }

    public static boolean isPreconditionFailed(Throwable failure) {
        Throwable t = unwrap(failure);
        // 409 ConditionalRequestConflict: a concurrent conditional write to the same key won.
        return t instanceof S3Exception s3 && (s3.statusCode() == 412 || s3.statusCode() == 409);
    }

    /** S3's answer to an UploadPart or CompleteMultipartUpload it refuses because of the client's input. */
    public static boolean isClientError(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof S3Exception s3 && s3.statusCode() >= 400 && s3.statusCode() < 500;
    }

    /**
     * The request failed without an answer from S3 (a connection closed mid-request, a timeout): the
     * write may or may not have landed.
     */
    public static boolean isWithoutAnswer(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof SdkClientException;
    }

    public static String message(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof S3Exception s3 && s3.awsErrorDetails() != null
                ? s3.awsErrorDetails().errorCode() + ": " + s3.awsErrorDetails().errorMessage()
                : String.valueOf(t.getMessage());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
