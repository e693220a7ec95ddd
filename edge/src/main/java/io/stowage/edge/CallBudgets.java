package io.stowage.edge;

/**
 * The fault-tolerance budgets of a service's calls to another Stowage service (upload-service and
 * image-service to metadata-service and signing-service): one place for the values of the
 * {@code @Timeout}, {@code @Retry} and {@code @CircuitBreaker} annotations of their REST client
 * interfaces (annotation values must be constants). Which calls may be tried again is each interface's
 * choice (idempotent ones only). Each value can be changed per method in configuration, e.g.
 * {@code io.stowage.upload.client.MetadataApi/bucket/Timeout/value=4000}.
 */
public final class CallBudgets {

    /** A call that has not answered within this is an outage. */
    public static final long TIMEOUT_MS = 6_000;

    /**
     * A call is tried again at most this often, after a short pause with jitter, and only while the
     * first failure came fast (refused, reset: within {@link #RETRY_WITHIN_MS}); a call that timed out is
     * not tried again, so an answer still comes within about one timeout.
     */
    public static final int RETRIES = 2;
    public static final long RETRY_DELAY_MS = 150;
    public static final long RETRY_JITTER_MS = 100;
    public static final long RETRY_WITHIN_MS = 1_000;

    /**
     * The breaker of each method opens when half of its last {@value #BREAKER_WINDOW} calls (tries
     * included) got no answer, and lets one call through again after {@link #BREAKER_DELAY_MS}. An answer
     * of any status is not a failure here: the services read 502/503/504 and refusals themselves.
     */
    public static final int BREAKER_WINDOW = 20;
    public static final double BREAKER_FAILURE_RATIO = 0.5;
    /** What a caller refused by an open circuit is told to wait ({@code Retry-After}). */
    public static final int OPEN_CIRCUIT_RETRY_AFTER_SECONDS = 5;
    public static final long BREAKER_DELAY_MS = OPEN_CIRCUIT_RETRY_AFTER_SECONDS * 1_000L;

    private CallBudgets() {
    }
}
