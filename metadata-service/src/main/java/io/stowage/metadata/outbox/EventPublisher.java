package io.stowage.metadata.outbox;

import io.stowage.events.ObjectEvents;
import io.stowage.metadata.config.MetadataConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Publishes outbox rows to Kafka as CloudEvents 1.0 in binary mode. Blocking: used only from the
 * relay's worker thread.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final String bootstrapServers;
    private final MetadataConfig.Events events;
    /** Bounds every wait on Kafka, so a relay round with Kafka away ends and the rows wait for the next. */
    private final java.time.Duration timeout;
    private volatile KafkaProducer<String, String> producer;
    private volatile boolean topicReady;

    public EventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MetadataConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.events = config.events();
        this.timeout = config.outbox().sendTimeout();
    }

    /** W3C Trace Context header: consumers continue the trace of the request that wrote the row. */
    public static final String TRACEPARENT = "traceparent";

    /** A row ready to go out; {@code traceparent} is null when the writing request was not traced. */
    public record Event(UUID id, String type, String subject, String payload, Instant occurredAt, String traceparent) {
        public Event(UUID id, String type, String subject, String payload, Instant occurredAt) {
            this(id, type, subject, payload, occurredAt, null);
        }
    }

    /** Sends the events in order; returns their futures in the same order (the producer keeps per-partition order). */
    public List<Future<RecordMetadata>> send(List<Event> batch) {
        ensureTopic();
        KafkaProducer<String, String> p = producer();
        return batch.stream().map(e -> p.send(toRecord(e))).toList();
    }

    public ProducerRecord<String, String> toRecord(Event e) {
        ProducerRecord<String, String> record = new ProducerRecord<>(events.topic(), e.subject(), e.payload());
        record.headers()
                .add(header(ObjectEvents.HEADER_SPEC_VERSION, ObjectEvents.SPEC_VERSION))
                .add(header(ObjectEvents.HEADER_ID, e.id().toString()))
                .add(header(ObjectEvents.HEADER_SOURCE, ObjectEvents.SOURCE))
                .add(header(ObjectEvents.HEADER_TYPE, e.type()))
                .add(header(ObjectEvents.HEADER_TIME, e.occurredAt().toString()))
                .add(header(ObjectEvents.HEADER_SUBJECT, e.subject()))
                .add(header(ObjectEvents.HEADER_CONTENT_TYPE, ObjectEvents.DATA_CONTENT_TYPE));
        if (e.traceparent() != null) {
            record.headers().add(header(TRACEPARENT, e.traceparent()));
        }
        return record;
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(UTF_8));
    }

    /**
     * Creates the topic with the partitions and replication asked for, once; an existing topic is
     * left as it is. Broker auto-creation would give it the broker's defaults instead.
     */
    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int timeoutMs = (int) timeout.toMillis();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(5_000, timeoutMs));
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(events.topic(), events.partitions(), events.replicationFactor())))
                    .all().get(timeoutMs, TimeUnit.MILLISECONDS);
            LOG.infof("created topic %s (%d partitions)", events.topic(), events.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + events.topic(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + events.topic(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer while creating topic " + events.topic(), e);
        }
        topicReady = true;
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    int timeoutMs = (int) timeout.toMillis();
                    int requestTimeoutMs = Math.min(10_000, timeoutMs);
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "metadata-service-outbox");
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
                    // fail a send fast while Kafka is away: the rows stay in the outbox for the next round
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(5_000, timeoutMs));
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
                    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, requestTimeoutMs));
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
                    producer = new KafkaProducer<>(props);
                }
                p = producer;
            }
        }
        return p;
    }

    /**
     * Drops the producer after a batch Kafka did not acknowledge: closing it at once aborts the
     * records still waiting in its buffer, which would otherwise reach the broker when it returns
     * and then again with the retried batch. The next send opens a new producer.
     */
    public synchronized void discard() {
        KafkaProducer<String, String> p = producer;
        producer = null;
        if (p != null) {
            p.close(java.time.Duration.ZERO);
        }
    }

    @PreDestroy
    public void close() {
        KafkaProducer<String, String> p = producer;
        if (p != null) {
            p.close(java.time.Duration.ofSeconds(5));
        }
    }
}
