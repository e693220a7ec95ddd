package io.stowage.upload.config;

import io.stowage.contract.Roles;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Lifetimes of uploads, how much of a blob is read to recognise its type, and how big streamed parts are. */
@ConfigMapping(prefix = "stowage.upload")
public interface UploadConfig {

    /** Lifetime of a presigned upload URL, and so of the pending single upload, in seconds. */
    @WithDefault("900")
    long urlExpiresIn();

    /** Lifetime of a multipart upload (its part URLs each live {@link #urlExpiresIn()}), in seconds. */
    @WithDefault("86400")
    long multipartExpiresIn();

    /** Bytes read from the start of a blob to sniff its content type. */
    @WithDefault("64")
    int sniffBytes();

    /** Part size of a direct streamed upload: the most a direct upload holds in memory is two parts. */
    @WithDefault("8388608")
    int directPartSize();

    /** How long a direct upload may take before the sweeper treats it as abandoned (a crashed replica). */
    @WithDefault("PT6H")
    Duration directExpiresIn();

    /** Largest body of the JSON routes, in bytes (the streamed route has the bucket's limit instead). */
    @WithDefault("1048576")
    long maxApiBody();

    /**
     * The role a token needs for upload-service to honour {@code X-Stowage-Owner} (a Stowage service
     * uploading on a user's behalf, e.g. the gateway serving a signed upload URL).
     */
    @WithDefault(Roles.STOWAGE_SERVICE)
    String serviceRole();

    /** Resumable (tus) uploads. */
    Resumable resumable();

    interface Resumable {
        /** How long an upload may rest between PATCHes before it expires and is swept ({@code Upload-Expires}). */
        @WithDefault("P1D")
        Duration expiresIn();

        /** The largest upload accepted ({@code Tus-Max-Size}); a bucket's own limit may be lower. */
        @WithDefault("53687091200")
        long maxSize();

        /** The lease of a PATCH's lock; the holder renews it every third of it, a dead replica's lapses. */
        @WithDefault("PT15S")
        Duration lockLease();

        /** How long a stopping replica waits for the PATCHes it is recording to finish and give up their locks. */
        @WithDefault("PT10S")
        Duration drainTimeout();
    }

    /** The reconciler: S3's blobs against the catalog's rows. */
    Reconcile reconcile();

    interface Reconcile {
        /** How often each replica tries a run ({@code 6h}; {@code off} disables the schedule, the admin route still runs it). */
        @WithDefault("6h")
        String every();

        /**
         * How old a blob must be before, unreferenced and named by no pending upload, it is an orphan and deleted.
         * Far beyond any registration's deadline, so no upload that may still register it is ever touched.
         */
        @WithDefault("P1D")
        Duration grace();

        /** A run another replica started this long ago and never finished is taken to have died with it. */
        @WithDefault("PT1H")
        Duration lease();
    }

    /** Sweeper settings. */
    Sweep sweep();

    interface Sweep {
        /** How often the sweeper runs ({@code 60s}; {@code off} disables it). Read by the schedule itself. */
        @WithDefault("60s")
        String every();

        /** How long after its expiry an unregistered upload is cleaned; leaves room for clocks and slow clients. */
        @WithDefault("PT1M")
        Duration grace();

        /** How long a registered upload's record is kept so that registering it again answers the same File. */
        @WithDefault("P1D")
        Duration keepRegistered();

        /** A claim older than this is taken to be of a replica that died mid-sweep. */
        @WithDefault("PT5M")
        Duration claimLease();
    }
}
