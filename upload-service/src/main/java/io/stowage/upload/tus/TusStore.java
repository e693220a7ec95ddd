package io.stowage.upload.tus;

import io.smallrye.mutiny.Uni;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Where resumable uploads live: their state, their parts and their tail. The protocol handler and the
 * hooks never touch S3 themselves; this is the one place that knows the layout (as tusd's data stores).
 */
public interface TusStore {

    /** The upload's state, or empty when there is none (never created, terminated or swept). */
    Uni<Optional<TusUpload>> find(String id);

    /** Writes the state; only the holder of the upload's lock (or its creator, before anyone knows the id) calls it. */
    Uni<Void> save(TusUpload upload);

    /** Removes the state. */
    Uni<Void> forget(String id);

    /** The ids of every upload the store holds (for the sweeper). */
    Uni<List<String>> ids();

    /** Starts the multipart upload that will hold the upload's parts; answers S3's upload id. */
    Uni<String> begin(String blobKey, String contentType);

    /** Stores one part (the buffer, from its position to its limit, must not change until this completes). */
    Uni<TusUpload.Part> writePart(TusUpload upload, int number, ByteBuffer bytes);

    /** Stores the bytes past the last full part as an object of their own, under a fresh key that it answers. */
    Uni<String> writeTail(TusUpload upload, ByteBuffer bytes);

    /** Reads the tail into {@code target} from its position; answers the number of bytes read. */
    Uni<Integer> readTail(String tailKey, ByteBuffer target);

    /** Deletes a tail that a newer one (or the assembled blob) replaced. */
    Uni<Void> dropTail(String tailKey);

    /** Assembles the blob from the parts (ascending); answers its etag. */
    Uni<String> assemble(TusUpload upload, List<TusUpload.Part> parts);

    /** Writes the whole blob at once (an upload that never filled a part); answers its etag. */
    Uni<String> writeWhole(TusUpload upload, ByteBuffer bytes);

    /** Drops everything of an unfinished upload in S3 (parts, tail); the state is {@link #forget}'s. */
    Uni<Void> discard(TusUpload upload);

    /** Deletes the assembled blob (a registration refused it). */
    Uni<Void> deleteBlob(TusUpload upload);
}
