package io.stowage.upload.tus;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.config.UploadConfig;
import io.stowage.upload.metrics.UploadMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * The expiration extension's other half: a resumable upload left alone past its {@code Upload-Expires}
 * (plus the sweeper's grace) is removed with its parts and tail; a finished one's state is forgotten
 * once it expires too. An upload is taken under its lock, so one being written (or swept by another
 * replica) is left to the next pass.
 */
@ApplicationScoped
public class TusSweeper {

    private static final Logger LOG = Logger.getLogger(TusSweeper.class);

    private final TusStore store;
    private final TusLocker locker;
    private final TusUploads uploads;
    private final Duration grace;
    private final UploadMetrics metrics;

    public TusSweeper(TusStore store, TusLocker locker, TusUploads uploads, UploadConfig config, UploadMetrics metrics) {
        this.store = store;
        this.locker = locker;
        this.uploads = uploads;
        this.grace = config.sweep().grace();
        this.metrics = metrics;
    }

    @Scheduled(identity = "resumable-sweeper", every = "${stowage.upload.sweep.every:60s}",
            delayed = "${stowage.upload.sweep.delay:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep(Instant.now()).invoke(swept -> {
            if (swept > 0) {
                LOG.infof("swept %d expired resumable uploads", swept);
            }
        }).onFailure().invoke(t -> LOG.warnf("resumable sweep failed, next run retries: %s", t.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass as if it were {@code now}; answers how many uploads it removed. */
    public Uni<Integer> sweep(Instant now) {
        return store.ids()
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> sweepOne(id, now)
                        .onFailure().invoke(t -> LOG.warnf("resumable upload %s: sweep failed: %s", id, t.getMessage()))
                        .onFailure().recoverWithItem(false))
                .filter(Boolean::booleanValue)
                .collect().asList()
                .map(java.util.List::size);
    }

    private Uni<Boolean> sweepOne(String id, Instant now) {
        return store.find(id).chain(found -> {
            if (found.isEmpty() || !now.isAfter(found.get().expiresAt().plus(grace))) {
                return Uni.createFrom().item(false);
            }
            return locker.acquire(id).chain(lock -> store.find(id)
                    .chain(current -> current.isEmpty() || !now.isAfter(current.get().expiresAt().plus(grace))
                            ? Uni.createFrom().item(false)
                            : uploads.remove(current.get())
                            .invoke(() -> {
                                if (!TusUpload.DONE.equals(current.get().state())) {
                                    metrics.sweptExpired(UploadMetrics.RESUMABLE);
                                }
                            })
                            .invoke(() -> LOG.infof("resumable upload %s (%s): expired, removed", id, current.get().state()))
                            .replaceWith(true))
                    .onTermination().call(() -> lock.release().onFailure().recoverWithNull()));
        });
    }
}
