package io.stowage.image.client;

/**
 * The fault-tolerance budgets of the calls to metadata-service and signing-service, one place for the
 * {@code @Timeout}, {@code @Retry} and {@code @CircuitBreaker} of the {@code *Api} interfaces (annotation
 * values must be constants). Every call image-service makes is a read (lookups, and the verify POST,
 * which changes nothing), so every one may be tried again. Each value can be changed per method in
 * configuration, e.g. {@code io.stowage.image.client.SigningApi/verify/Timeout/value=4000}.
 */
final class CallBudgets {

    /** A call that has not answered within this is an outage; the read timeout of today (6 s). */
    static final long TIMEOUT_MS = 6_000;

    /**
     * A call is tried again at most this often, after a short pause with jitter, and only while the
     * first failure came fast (refused, reset: within {@link #RETRY_WITHIN_MS}); a call that timed out is
     * not tried again, so an answer still comes within about one timeout.
     */
    static final int RETRIES = 2;
    static final long RETRY_DELAY_MS = 150;
    static final long RETRY_JITTER_MS = 100;
    static final long RETRY_WITHIN_MS = 1_000;

    /**
     * The breaker of each method opens when half of its last {@value #BREAKER_WINDOW} calls (tries
     * included) got no answer, and lets one call through again after {@link #BREAKER_DELAY_MS}. An answer
     * of any status is not a failure here: 502/503/504 and refusals are read by {@link Upstreams}.
     */
    static final int BREAKER_WINDOW = 20;
    static final double BREAKER_FAILURE_RATIO = 0.5;
    static final int OPEN_CIRCUIT_RETRY_AFTER_SECONDS = 5;
    static final long BREAKER_DELAY_MS = OPEN_CIRCUIT_RETRY_AFTER_SECONDS * 1_000L;

    private CallBudgets() {
    }
}
