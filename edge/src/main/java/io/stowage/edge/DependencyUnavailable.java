package io.stowage.edge;

/**
 * A dependency this service needs is down, hung or refusing: the request cannot be served now but
 * may be soon. Every service answers it the same way: {@code 503} with {@code Retry-After} and the
 * error code naming the dependency, never {@code 500}. A caller (the gateway) passes such an answer
 * through and does not count it against the service that reported it.
 */
public class DependencyUnavailable extends RuntimeException {

    /** What can be unavailable, with the error code each one answers. */
    public enum Dependency {
        /** The S3 server under Stowage. */
        STORAGE("StorageUnavailable", "the object store"),
        /** PostgreSQL, or metadata-service in front of it. */
        CATALOG("CatalogUnavailable", "the catalog"),
        /** signing-service. */
        SIGNING("SigningUnavailable", "the signing service"),
        /** upload-service, as seen by the gateway. */
        UPLOADS("UploadsUnavailable", "the upload service"),
        /** image-service, as seen by the gateway. */
        IMAGES("ImagesUnavailable", "the image service"),
        /** The OIDC token issuer, when a service cannot get its own token to call another. */
        IDENTITY("IdentityUnavailable", "the token issuer");

        private final String code;
        private final String description;

        Dependency(String code, String description) {
            this.code = code;
            this.description = description;
        }

        /** The error code of the 503 answer. */
        public String code() {
            return code;
        }

        /** How the answer's message names it. */
        public String description() {
            return description;
        }

        /** The dependency an error code names, or null when the code names none. */
        public static Dependency ofCode(String code) {
            for (Dependency d : values()) {
                if (d.code.equals(code)) {
                    return d;
                }
            }
            return null;
        }
    }

    /** How long a caller should wait before trying again, in seconds, unless a service says otherwise. */
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 2;

    private final Dependency dependency;
    private final int retryAfterSeconds;

    public DependencyUnavailable(Dependency dependency, String detail, Throwable cause) {
        this(dependency, detail, DEFAULT_RETRY_AFTER_SECONDS, cause);
    }

    public DependencyUnavailable(Dependency dependency, String detail, int retryAfterSeconds, Throwable cause) {
        super(dependency.description() + " is unavailable" + (detail == null || detail.isBlank() ? "" : ": " + detail), cause);
        this.dependency = dependency;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public Dependency dependency() {
        return dependency;
    }

    /** The error code of the answer, e.g. {@code StorageUnavailable}. */
    public String code() {
        return dependency.code();
    }

    /** The value of the {@code Retry-After} header, in seconds. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The HTTP status of every such answer. */
    public int status() {
        return 503;
    }

    /** Whether an error code one service answered names a dependency outage (so it is not that service failing). */
    public static boolean isOutageCode(String code) {
        return Dependency.ofCode(code) != null;
    }
}
