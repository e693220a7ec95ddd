package io.stowage.metadata.outbox;

import javax.sql.DataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.stowage.metadata.config.MetadataConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves outbox rows to Kafka, in order, outside any request transaction.
 *
 * <p>It runs on a worker thread with plain JDBC and a blocking producer on purpose: waiting for a
 * Kafka acknowledgement inside a reactive Hibernate transaction fails (HR000069, wrong thread), and
 * the relay is not on any request path. Rows are locked while their batch is in flight and marked
 * published only after the broker acknowledged them; if Kafka is away the transaction rolls back
 * and the rows wait for the next round, so no event is lost and none is sent for a change that
 * rolled back. A retry may send an event twice: consumers drop duplicates by the CloudEvent id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Held for the relay's transaction so that one replica relays at a time and per-object order holds. */
    public static final long RELAY_LOCK_KEY = 0x53544F57_4F555458L; // "STOWOUTX"

    private static final String SELECT_BATCH = """
            SELECT id, event_type, subject, payload, occurred_at, traceparent
              FROM outbox
             WHERE published_at IS NULL
             ORDER BY position
             LIMIT ?
               FOR UPDATE SKIP LOCKED
            """;

    private final DataSource dataSource;
    private final EventPublisher publisher;
    private final MetadataConfig.Outbox config;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean failing;
    private final AtomicLong backlog = new AtomicLong();
    /** When the oldest unpublished event happened (epoch ms), 0 when none waits. */
    private final AtomicLong oldestPending = new AtomicLong();
    private final Counter published;
    private final Timer lag;

    public OutboxRelay(DataSource dataSource, EventPublisher publisher, MetadataConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.publisher = publisher;
        this.config = config.outbox();
        this.published = Counter.builder("stowage.outbox.published").description("events the broker acknowledged")
                .register(registry);
        this.lag = Timer.builder("stowage.outbox.relay.lag").description("from the catalog change to the broker's ack")
                .register(registry);
        Gauge.builder("stowage.outbox.backlog", backlog, AtomicLong::get).description("events waiting in the outbox")
                .register(registry);
        Gauge.builder("stowage.outbox.oldest.age", oldestPending, OutboxRelay::ageSeconds).baseUnit("seconds")
                .description("how long the oldest unpublished event has waited").register(registry);
    }

    private static double ageSeconds(AtomicLong oldest) {
        long at = oldest.get();
        return at == 0 ? 0 : Math.max(0, System.currentTimeMillis() - at) / 1000.0;
    }

    /**
     * Counts what waits in the outbox on a timer, whether the relay is failing or not (a relay round
     * that waits on Kafka's send timeout would otherwise leave the gauges stale for its whole length).
     * Bounded: a database that does not answer leaves the last figures, logged at debug.
     */
    @Scheduled(every = "${stowage.outbox.gauge-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void measureBacklog() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement st = connection.prepareStatement(
                        "SELECT count(*), min(occurred_at) FROM outbox WHERE published_at IS NULL")) {
            st.setQueryTimeout(2);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    backlog.set(rs.getLong(1));
                    java.sql.Timestamp oldest = rs.getTimestamp(2);
                    oldestPending.set(oldest == null ? 0 : oldest.getTime());
                }
            }
        } catch (SQLException e) {
            LOG.debugf("outbox backlog not measured: %s", e.toString());
        }
    }

    @Scheduled(every = "${stowage.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        relay();
    }

    /** Called after a catalog change commits, so its event goes out now rather than at the next poll. */
    public void nudge() {
        Infrastructure.getDefaultWorkerPool().execute(this::relay);
    }

    /** Publishes everything pending; if a relay is already running it is asked to go round once more. */
    public void relay() {
        again.set(true);
        if (!running.tryLock()) {
            return;
        }
        try {
            while (again.getAndSet(false)) {
                int sent;
                do {
                    sent = relayBatch();
                } while (sent == config.batchSize());
            }
            if (failing) {
                LOG.info("outbox relay: Kafka is reachable again");
                failing = false;
            }
            backlog.set(0);
            oldestPending.set(0);
        } catch (Exception e) {
            measureBacklog();
            if (!failing) {
                LOG.warnf("outbox relay: events wait in the outbox until Kafka takes them: %s", e.toString());
                failing = true;
            }
        } finally {
            running.unlock();
        }
    }

    /**
     * One transaction: lock a batch, publish it, mark what the broker acknowledged. Returns how many
     * went out; throws when Kafka did not take the batch (the rows it did not acknowledge stay pending).
     */
    public int relayBatch() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!tryRelayLock(connection)) {
                    connection.rollback();
                    return 0;
                }
                List<EventPublisher.Event> batch = lockBatch(connection);
                if (batch.isEmpty()) {
                    connection.commit();
                    return 0;
                }
                List<Future<RecordMetadata>> acks = publisher.send(batch);
                List<UUID> acknowledged = new ArrayList<>(batch.size());
                Exception failure = null;
                long deadline = System.nanoTime() + config.sendTimeout().toNanos();
                for (int i = 0; i < acks.size(); i++) {
                    try {
                        acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        acknowledged.add(batch.get(i).id());
                    } catch (ExecutionException | TimeoutException e) {
                        // stop at the first gap: what follows is retried after it, in order
                        failure = e;
                        break;
                    }
                }
                if (failure != null) {
                    // nothing of this batch after the gap may go out on its own later: the retry sends it, in order
                    publisher.discard();
                }
                markPublished(connection, acknowledged);
                connection.commit();
                Instant now = Instant.now();
                for (int i = 0; i < acknowledged.size(); i++) {
                    lag.record(Duration.between(batch.get(i).occurredAt(), now));
                }
                published.increment(acknowledged.size());
                if (failure != null) {
                    throw new IllegalStateException("Kafka did not acknowledge event " + batch.get(acknowledged.size()).id(),
                            failure instanceof ExecutionException ? failure.getCause() : failure);
                }
                return acknowledged.size();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                connection.rollback();
                return 0;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } catch (RuntimeException e) {
                // a send refused part-way leaves earlier records of the batch buffered: drop them too
                publisher.discard();
                connection.rollback();
                throw e;
            }
        }
    }

    private static boolean tryRelayLock(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            st.setLong(1, RELAY_LOCK_KEY);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private List<EventPublisher.Event> lockBatch(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(SELECT_BATCH)) {
            st.setInt(1, config.batchSize());
            try (ResultSet rs = st.executeQuery()) {
                List<EventPublisher.Event> batch = new ArrayList<>();
                while (rs.next()) {
                    batch.add(new EventPublisher.Event(
                            rs.getObject("id", UUID.class),
                            rs.getString("event_type"),
                            rs.getString("subject"),
                            rs.getString("payload"),
                            rs.getTimestamp("occurred_at").toInstant(),
                            rs.getString("traceparent")));
                }
                return batch;
            }
        }
    }

    private static void markPublished(Connection connection, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement("UPDATE outbox SET published_at = now() WHERE id = ANY (?)")) {
            st.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            st.executeUpdate();
        }
    }
}
