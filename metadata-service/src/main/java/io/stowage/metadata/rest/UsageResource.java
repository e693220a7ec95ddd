package io.stowage.metadata.rest;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stowage.metadata.access.Caller;
import io.stowage.metadata.api.UsageView;
import io.stowage.metadata.catalog.Usage;
import io.stowage.metadata.error.CatalogException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * An owner's usage over every bucket: {@code GET /v1/usage?owner=} (without {@code owner}, the
 * caller's own). Admins may read anyone's; a user only their own, anyone else's is 403.
 */
@Path("/v1/usage")
@Deadline
@Authenticated
public class UsageResource {

    /** Longest owner id asked for: subjects are short; a longer one names nobody. */
    static final int MAX_OWNER_LENGTH = 255;

    private final Usage usage;
    private final SecurityIdentity identity;

    public UsageResource(Usage usage, SecurityIdentity identity) {
        this.usage = usage;
        this.identity = identity;
    }

    @GET
    public Uni<UsageView> ofOwner(@QueryParam("owner") String owner) {
        Caller caller = Caller.of(identity);
        String who = owner == null ? caller.subject() : owner;
        if (who == null || who.isEmpty() || who.length() > MAX_OWNER_LENGTH || who.chars().anyMatch(Character::isISOControl)) {
            throw CatalogException.invalidRequest("owner must be a user id of 1-" + MAX_OWNER_LENGTH
                    + " characters without control characters");
        }
        if (!caller.admin() && !caller.is(who)) {
            throw new CatalogException.Denied("only an admin may read another owner's usage");
        }
        return usage.ofOwner(who).map(r -> UsageView.ofOwner(who, r));
    }
}
