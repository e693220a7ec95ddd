package io.stowage.upload.multipart;

import io.stowage.contract.SharedErrorCode;
import io.stowage.upload.error.UploadErrorCode;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.blobs.Blobs;
import io.stowage.upload.blobs.S3Failures;
import io.stowage.upload.client.SignRequest;
import io.stowage.upload.client.Upstreams;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.metrics.UploadMetrics;
import io.stowage.upload.pending.PendingUpload;
import io.stowage.upload.pending.PendingUploads;
import io.stowage.upload.rules.BucketLimits;
import io.stowage.upload.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Multipart uploads of large files: S3's multipart upload of a fresh blob, with presigned part
 * URLs so that the bytes go straight to S3. Once completed, the blob is registered with
 * {@code POST /v1/files} like a single upload, with the same checks.
 */
@ApplicationScoped
public class MultipartUploads {

    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;
    static final int MAX_PARTS = 10_000;
    static final int MAX_URLS_PER_CALL = 1000;

    private static final Logger LOG = Logger.getLogger(MultipartUploads.class);

    private final Upstreams upstreams;
    private final PendingUploads pending;
    private final Blobs blobs;
    private final UploadConfig config;
    private final UploadMetrics metrics;

    public MultipartUploads(Upstreams upstreams, PendingUploads pending, Blobs blobs,
                            UploadConfig config, UploadMetrics metrics) {
        this.upstreams = upstreams;
        this.pending = pending;
        this.blobs = blobs;
        this.config = config;
        this.metrics = metrics;
    }

    public record Init(String uploadId, long partSize, int partCount, String expiresAt) {
    }

    public record PartUrl(int partNumber, String url, String method, java.util.Map<String, String> headers, String expiresAt) {
    }

    public record Completed(String uploadId, String etag, long size) {
    }

    /** Part size and count for a file: the one asked for, or the smallest of at least 8 MiB that fits in 10,000 parts. */
    static long partSize(long size, Long asked) {
        if (asked != null) {
            if (asked < MIN_PART_SIZE || asked > MAX_PART_SIZE) {
                throw new UploadException(SharedErrorCode.InvalidRequest, "partSize must be between 5 MiB and 5 GiB");
            }
            if (partCount(size, asked) > MAX_PARTS) {
                throw new UploadException(SharedErrorCode.InvalidRequest,
                        "a partSize of " + asked + " bytes needs more than " + MAX_PARTS + " parts");
            }
            return asked;
        }
        long mib = 1024 * 1024;
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        long rounded = (needed + mib - 1) / mib * mib;
        long chosen = Math.max(DEFAULT_PART_SIZE, rounded);
        if (chosen > MAX_PART_SIZE) {
            throw new UploadException(SharedErrorCode.PayloadTooLarge, "a file of " + size + " bytes is too large for S3");
        }
        return chosen;
    }

    static int partCount(long size, long partSize) {
        return (int) Math.min(Integer.MAX_VALUE, (size + partSize - 1) / partSize);
    }

    public Uni<Init> init(Caller caller, String bucket, String path, String contentType, long size, Long askedPartSize,
                          String visibility) {
        if (size < 1) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "a multipart upload needs a size of at least 1 byte");
        }
        long partSize = partSize(size, askedPartSize);
        int partCount = partCount(size, partSize);
        return upstreams.bucket(bucket, caller.authorization())
                .invoke(info -> BucketLimits.check(info, size, contentType))
                .call(info -> upstreams.checkQuota(info, path, false, size, null, caller.authorization()))
                .chain(info -> {
                    String uploadId = UUID.randomUUID().toString();
                    String blobKey = "blobs/" + UUID.randomUUID();
                    Instant now = Instant.now();
                    Instant expiresAt = now.plusSeconds(config.multipartExpiresIn());
                    return blobs.startMultipart(blobKey, contentType)
                            .chain(s3UploadId -> pending.save(new PendingUpload(uploadId, caller.subject(), bucket, path,
                                    contentType, size, blobKey, visibility, now, expiresAt, null, null,
                                    PendingUpload.MULTIPART, s3UploadId, partSize, partCount, null)))
                            .map(saved -> new Init(uploadId, partSize, partCount, expiresAt.toString()));
                })
                .invoke(() -> metrics.started(UploadMetrics.MULTIPART))
                .invoke(init -> LOG.infof("upload %s: multipart of %d parts started for %s/%s by %s",
                        init.uploadId(), init.partCount(), bucket, path, caller.subject()));
    }

    public Uni<List<PartUrl>> partUrls(Caller caller, String uploadId, List<Integer> partNumbers) {
        if (partNumbers == null || partNumbers.isEmpty() || partNumbers.size() > MAX_URLS_PER_CALL) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "partNumbers must list 1 to " + MAX_URLS_PER_CALL + " parts");
        }
        return active(caller, uploadId).chain(upload -> {
            List<SignRequest> requests = new ArrayList<>();
            for (Integer n : partNumbers) {
                checkPartNumber(upload, n);
                requests.add(SignRequest.uploadPart(upload.blobKey(), upload.multipartUploadId(), n, partLength(upload, n),
                        config.urlExpiresIn()));
            }
            return upstreams.presignBatch(requests).map(urls -> {
                List<PartUrl> parts = new ArrayList<>();
                for (int i = 0; i < urls.size(); i++) {
                    var url = urls.get(i);
                    parts.add(new PartUrl(partNumbers.get(i), url.url(), url.method(), url.headers(), url.expiresAt()));
                }
                return parts;
            });
        });
    }

    /** What S3 holds of the upload, so that a client can upload only the parts it is missing. */
    public Uni<ListedParts> parts(Caller caller, String uploadId) {
        return active(caller, uploadId).chain(upload -> blobs.listParts(upload.blobKey(), upload.multipartUploadId())
                .map(parts -> new ListedParts(uploadId, upload.partSize(), upload.partCount(), upload.expiresAt().toString(),
                        parts)));
    }

    public record ListedParts(String uploadId, long partSize, int partCount, String expiresAt, List<Blobs.StoredPart> parts) {
    }

    public record PartEtag(Integer partNumber, String etag) {
    }

    public Uni<Completed> complete(Caller caller, String uploadId, List<PartEtag> parts) {
        return active(caller, uploadId).chain(upload -> {
            if (parts == null || parts.size() != upload.partCount()) {
                throw new UploadException(SharedErrorCode.InvalidRequest,
                        "complete needs the etags of all " + upload.partCount() + " parts");
            }
            Set<Integer> seen = new HashSet<>();
            List<CompletedPart> completed = new ArrayList<>();
            for (PartEtag part : parts) {
                checkPartNumber(upload, part.partNumber());
                if (!seen.add(part.partNumber()) || part.etag() == null || part.etag().isBlank()) {
                    throw new UploadException(SharedErrorCode.InvalidRequest, "each part must be listed once, with its etag");
                }
                String etag = part.etag().startsWith("\"") ? part.etag() : "\"" + part.etag() + "\"";
                completed.add(CompletedPart.builder().partNumber(part.partNumber()).eTag(etag).build());
            }
            // Clients may finish parts in any order; S3 wants them ascending.
            completed.sort(Comparator.comparing(CompletedPart::partNumber));
            return blobs.completeMultipart(upload.blobKey(), upload.multipartUploadId(), completed)
                    .onFailure(S3Failures::isClientError).transform(t -> new UploadException(UploadErrorCode.UploadMismatch,
                            "S3 refused to assemble the parts: " + S3Failures.message(t), t))
                    .map(etag -> new Completed(uploadId, etag, upload.size()));
        }).invoke(done -> LOG.infof("upload %s: multipart completed", uploadId));
    }

    /** Drops the upload's parts and its record; nothing of it stays in S3. */
    public Uni<Void> abort(Caller caller, String uploadId) {
        return pending.findOwn(caller.subject(), uploadId).chain(upload -> {
            if (!upload.multipart()) {
                throw new UploadException(SharedErrorCode.UploadNotFound, "no multipart upload '" + uploadId + "'");
            }
            if (upload.registered()) {
                throw new UploadException(SharedErrorCode.InvalidRequest, "upload " + uploadId + " is registered; delete the object instead");
            }
            return blobs.abortMultipart(upload.blobKey(), upload.multipartUploadId())
                    // A completed but unregistered upload has a blob rather than parts.
                    .chain(() -> blobs.delete(upload.blobKey()))
                    .chain(() -> pending.delete(uploadId));
        }).invoke(() -> metrics.ended(UploadMetrics.MULTIPART, UploadMetrics.ABORTED))
                .invoke(() -> LOG.infof("upload %s: aborted", uploadId));
    }

    private Uni<PendingUpload> active(Caller caller, String uploadId) {
        return pending.findOwn(caller.subject(), uploadId).map(upload -> {
            if (!upload.multipart()) {
                throw new UploadException(SharedErrorCode.UploadNotFound, "no multipart upload '" + uploadId + "'");
            }
            if (upload.registered()) {
                throw new UploadException(SharedErrorCode.InvalidRequest, "upload " + uploadId + " is already registered");
            }
            if (upload.expiredAt(Instant.now())) {
                throw new UploadException(SharedErrorCode.UploadExpired, "upload " + uploadId + " has expired");
            }
            return upload;
        });
    }

    private static void checkPartNumber(PendingUpload upload, Integer n) {
        if (n == null || n < 1 || n > upload.partCount()) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "part numbers go from 1 to " + upload.partCount());
        }
    }

    /** Every part is partSize bytes but the last, which holds the rest; signed so S3 refuses other lengths. */
    static long partLength(PendingUpload upload, int n) {
        return n < upload.partCount() ? upload.partSize() : upload.size() - (long) (upload.partCount() - 1) * upload.partSize();
    }
}
