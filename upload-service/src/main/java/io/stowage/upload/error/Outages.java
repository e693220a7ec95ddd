package io.stowage.upload.error;

import io.stowage.edge.CallBudgets;
import io.smallrye.mutiny.CompositeException;
import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.DependencyUnavailable.Dependency;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Which failures are a dependency's outage, the one rule every route answers by (503, Retry-After, the
 * code naming the dependency; see {@link ErrorMapper}). S3 is an outage when it gave no answer (refused,
 * reset, timed out: the SDK's {@link SdkClientException}, its API-call timeouts included) or answered
 * 5xx or throttling; its other 4xx are not (the caller's fault is mapped where the call is made, the rest
 * is a fault of this deployment). metadata-service and signing-service are an outage when they give no
 * answer or answer 502/503/504; the REST clients' caller ({@code client.Upstreams}) asks {@link #ofCall} for that.
 */
public final class Outages {

    /** Retry-After of a call refused by an open circuit breaker: the time the breaker waits ({@link CallBudgets}). */
    public static final int OPEN_CIRCUIT_RETRY_AFTER_SECONDS = CallBudgets.OPEN_CIRCUIT_RETRY_AFTER_SECONDS;

    private Outages() {
    }

    /** The outage this failure is, or null when it is none. */
    public static DependencyUnavailable of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof DependencyUnavailable outage) {
            return outage;
        }
        if (isStorageOutage(t)) {
            return new DependencyUnavailable(Dependency.STORAGE, storageDetail(t), t);
        }
        return null;
    }

    /** Whether S3 failed rather than refused: no answer, a 5xx, or throttling. */
    public static boolean isStorageOutage(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof SdkClientException) {
            // ApiCallTimeoutException and ApiCallAttemptTimeoutException are SdkClientExceptions too
            return true;
        }
        if (t instanceof SdkServiceException service) {
            return service.statusCode() >= 500 || service.isThrottlingException();
        }
        return false;
    }

    /**
     * The outage a call to another service is when it got no answer at all (connection refused or reset,
     * connect or read timeout): the failure of the call itself, not an answer. Failures this service
     * raised on purpose ({@link UploadException}) and outages already named are left as they are. The
     * clients' fault tolerance fails a call in two more ways that are outages too: its deadline passed
     * ({@link TimeoutException}), or its circuit breaker is open after too many calls without an answer
     * ({@link CircuitBreakerOpenException}: not sent at all, Retry-After the breaker's delay).
     */
    public static Throwable ofCall(Dependency dependency, String service, Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof UploadException || t instanceof DependencyUnavailable) {
            return t;
        }
        if (t instanceof CircuitBreakerOpenException) {
            return new DependencyUnavailable(dependency, service + " is not called for now: too many calls got no answer",
                    OPEN_CIRCUIT_RETRY_AFTER_SECONDS, t);
        }
        if (t instanceof TimeoutException) {
            return new DependencyUnavailable(dependency, service + " did not answer in time", t);
        }
        return new DependencyUnavailable(dependency, service + " did not answer (" + t.getClass().getSimpleName() + ")", t);
    }

    /** Whether another service's HTTP status says it is unavailable rather than refusing the request. */
    public static boolean isUnavailableStatus(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    private static String storageDetail(Throwable t) {
        if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null) {
            return "S3 answered " + aws.statusCode() + " " + aws.awsErrorDetails().errorCode();
        }
        if (t instanceof SdkServiceException service) {
            return "S3 answered " + service.statusCode();
        }
        return "S3 did not answer (" + t.getClass().getSimpleName() + ")";
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t != null && t.getCause() != null
                && (t instanceof CompletionException || t instanceof ExecutionException || t instanceof CompositeException)) {
            t = t.getCause();
        }
        return t;
    }
}
