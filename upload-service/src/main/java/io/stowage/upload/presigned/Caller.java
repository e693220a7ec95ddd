package io.stowage.upload.presigned;

/**
 * Who is asking: the subject the upload belongs to, and the Authorization header passed on to other
 * services. {@code onBehalf} is set when a Stowage service (the gateway serving a signed upload URL)
 * sends its own token and names the user with {@code X-Stowage-Owner}: then {@code subject} is that
 * user, and metadata-service is told so with the registration's {@code owner}.
 */
public record Caller(String subject, String authorization, boolean onBehalf) {

    public Caller(String subject, String authorization) {
        this(subject, authorization, false);
    }
}
