package io.stowage.metadata.access;

import java.util.Arrays;

/**
 * The access matrix. Read: a public bucket or {@code public} visibility lets anyone in (anonymous
 * too); {@code protected} any signed-in user; {@code private} the owner; {@code shared} the owner
 * and the listed users; admins everything. Write, move, delete and visibility changes: the owner
 * or an admin.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    public static boolean canRead(Caller caller, boolean bucketPublic, String owner, Visibility visibility, String[] sharedWith) {
        if (caller.admin() || bucketPublic || visibility == Visibility.PUBLIC || caller.is(owner)) {
            return true;
        }
        if (!caller.signedIn()) {
            return false;
        }
        return switch (visibility) {
            case PROTECTED -> true;
            case SHARED -> sharedWith != null && Arrays.asList(sharedWith).contains(caller.subject());
            default -> false;
        };
    }

    public static boolean canWrite(Caller caller, String owner) {
        return caller.admin() || caller.is(owner);
    }
}
