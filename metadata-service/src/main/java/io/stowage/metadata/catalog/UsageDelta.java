package io.stowage.metadata.catalog;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one transaction's changes add to and take from the usage of buckets and owners: every stored
 * version that holds a blob (a current object or a version a versioned bucket keeps; never a delete
 * marker) counts its size and one object. Collected while the rows change and applied once, at the
 * end of the transaction, by {@link Usage#apply}: the usage rows are then locked last, in one order,
 * and for the shortest time.
 */
public final class UsageDelta {

    /** Bytes and objects added (negative: taken away) per key, in key order. */
    record Change(long bytes, long objects) {
        Change plus(long moreBytes, long moreObjects) {
            return new Change(bytes + moreBytes, objects + moreObjects);
        }

        boolean grows() {
            return bytes > 0 || objects > 0;
        }

        boolean isZero() {
            return bytes == 0 && objects == 0;
        }
    }

    private final Map<String, Change> buckets = new TreeMap<>();
    private final Map<String, Change> owners = new TreeMap<>();

    /** A row starts holding its blob in its bucket (a new current object, a copy, a move-in). */
    void counted(ObjectEntity o) {
        if (!o.deleteMarker) {
            add(o.bucket, o.owner, o.size, 1);
        }
    }

    /** A row stops holding its blob (deleted or overwritten in a bucket that keeps no versions, a version purged). */
    void uncounted(ObjectEntity o) {
        if (!o.deleteMarker) {
            add(o.bucket, o.owner, -o.size, -1);
        }
    }

    /** A counted row leaves {@code bucket} for another (a move that keeps the row): the owner's usage stays. */
    void movedOut(ObjectEntity o, String bucket) {
        buckets.merge(bucket, new Change(-o.size, -1), (a, b) -> a.plus(b.bytes(), b.objects()));
    }

    /** The counted row entered its (new) bucket by a move that keeps the row: the owner's usage stays. */
    void movedIn(ObjectEntity o) {
        buckets.merge(o.bucket, new Change(o.size, 1), (a, b) -> a.plus(b.bytes(), b.objects()));
    }

    private void add(String bucket, String owner, long bytes, long objects) {
        buckets.merge(bucket, new Change(bytes, objects), (a, b) -> a.plus(b.bytes(), b.objects()));
        owners.merge(owner, new Change(bytes, objects), (a, b) -> a.plus(b.bytes(), b.objects()));
    }

    Map<String, Change> buckets() {
        return buckets;
    }

    Map<String, Change> owners() {
        return owners;
    }
}
