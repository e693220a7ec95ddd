package io.stowage.metadata.access;

import io.stowage.metadata.catalog.Visibility;

/** Who may read and delete an object. Everyone reaching the catalog is signed in. */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    public static boolean canRead(Caller caller, String owner, Visibility visibility) {
        return caller.admin()
                || caller.subject().equals(owner)
                || visibility == Visibility.PUBLIC
                || visibility == Visibility.PROTECTED;
    }

    public static boolean canDelete(Caller caller, String owner) {
        return caller.admin() || caller.subject().equals(owner);
    }
}
