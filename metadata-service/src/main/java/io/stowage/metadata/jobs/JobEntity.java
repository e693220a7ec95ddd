package io.stowage.metadata.jobs;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A background job: emptying a bucket or deleting by prefix, with its progress. */
@Entity
@Table(name = "jobs")
public class JobEntity extends PanacheEntityBase {

    public static final String EMPTY_BUCKET = "empty-bucket";
    public static final String DELETE_PREFIX = "delete-prefix";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String bucket;

    public String prefix;

    @Column(nullable = false)
    public String caller;

    @Column(name = "caller_admin", nullable = false)
    public boolean callerAdmin;

    /** pending, running, done or failed. */
    @Column(nullable = false)
    public String state;

    @Column(nullable = false)
    public long total;

    @Column(nullable = false)
    public long done;

    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
