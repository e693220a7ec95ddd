package io.stowage.upload.auth;

import io.stowage.contract.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;

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

    /**
     * Whose an upload is: the token's subject, or for a Supabase service key (no subject, the role
     * claim {@code service_role}) that role, as metadata-service names the owner of what such a key
     * creates. Null when the token names no one.
     */
    public static String subjectOf(JsonWebToken token) {
        if (token.getSubject() != null) {
            return token.getSubject();
        }
        Object role = token.getClaim(Roles.SUPABASE_ROLE_CLAIM);
        return Roles.SERVICE_ROLE.equals(role == null ? null : role.toString()) ? Roles.SERVICE_ROLE : null;
    }
}
