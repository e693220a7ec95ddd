package io.stowage.gateway.routing;

import io.quarkus.security.identity.SecurityIdentity;
import io.stowage.contract.SharedErrorCode;
import io.stowage.gateway.auth.Callers;
import io.stowage.gateway.errors.ErrorResponse;
import io.stowage.names.InvalidNameException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the native signing routes read alike: a signed-in caller with a JSON object body (its size was
 * bounded by the /v1 guard), {@code expiresIn} and {@code download}. A body that is not a JSON object,
 * a field of the wrong type and a name against the naming rules are 400 in the error shape.
 */
@ApplicationScoped
public class SignedUrlRequests {

    /** The longest a signed URL may live: SigV4's seven days (signing-service may be set to less). */
    static final int MAX_EXPIRES_IN = 604_800;
    private static final int MAX_DOWNLOAD_NAME = 255;

    private final Callers callers;

    public SignedUrlRequests(Callers callers) {
        this.callers = callers;
    }

    interface WithBody {
        void accept(String authorization, SecurityIdentity identity, JsonObject body);
    }

    void userWithBody(RoutingContext ctx, WithBody then) {
        callers.requireUser(ctx, (c, identity) -> {
            Future<Buffer> body = c.request().body();
            c.request().resume();
            body.onFailure(e -> ErrorResponse.send(c, SharedErrorCode.InvalidRequest, "the request body could not be read"))
                    .onSuccess(buffer -> {
                        JsonObject json;
                        try {
                            json = buffer.toJsonObject();
                        } catch (DecodeException | ClassCastException e) {
                            ErrorResponse.send(c, SharedErrorCode.InvalidRequest, "the body must be a JSON object");
                            return;
                        }
                        try {
                            then.accept(c.request().getHeader("Authorization"), identity, json);
                        } catch (Fields.WrongType e) {
                            ErrorResponse.send(c, SharedErrorCode.InvalidRequest, e.getMessage());
                        } catch (InvalidNameException e) {
                            ErrorResponse.send(c, 400, e.code(), e.getMessage());
                        }
                    });
        });
    }

    /** {@code expiresIn}: required, whole seconds from 1 to {@value #MAX_EXPIRES_IN}. */
    static int expiresIn(JsonObject body) {
        Integer seconds = Fields.integer(body, "expiresIn", null);
        if (seconds == null || seconds < 1 || seconds > MAX_EXPIRES_IN) {
            throw new Fields.WrongType("expiresIn", "a whole number of seconds from 1 to " + MAX_EXPIRES_IN);
        }
        return seconds;
    }

    /**
     * {@code download}: absent or false for none, true for an attachment under the object's own name, a
     * string for another file name (1-255 characters without control characters).
     */
    static String download(JsonObject body) {
        Object value = body.getValue("download");
        if (value == null || Boolean.FALSE.equals(value)) {
            return null;
        }
        if (Boolean.TRUE.equals(value)) {
            return "";
        }
        if (value instanceof String name && !name.isEmpty() && name.length() <= MAX_DOWNLOAD_NAME
                && name.chars().noneMatch(Character::isISOControl)) {
            return name;
        }
        throw new Fields.WrongType("download", "a boolean or a file name of 1-" + MAX_DOWNLOAD_NAME + " characters");
    }
}
