package io.stowage.metadata.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One event waiting to be published. Written in the transaction of the catalog change it
 * describes; {@code position} (assigned by the database) is the publication order.
 */
@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {

    /** Becomes the CloudEvent id: stable across retries, so consumers can drop duplicates. */
    @Id
    public UUID id;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    /** {@code {bucket}/{name}} (or {@code {bucket}/} for a bucket's events): the record key and the CloudEvent subject. */
    @Column(nullable = false)
    public String subject;

    /** The event's JSON data: {@link io.stowage.events.ObjectEventData} or another record of the events module. */
    @Column(nullable = false)
    public String payload;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    /** The W3C traceparent of the writing request (null when tracing is off); sent as a Kafka header. */
    public String traceparent;
}
