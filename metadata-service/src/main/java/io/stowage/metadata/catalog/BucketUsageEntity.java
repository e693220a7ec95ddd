package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A bucket's usage ({@code bucket_usage}), read here; changed only by {@link Usage#apply}. */
@Entity
@Table(name = "bucket_usage")
public class BucketUsageEntity extends PanacheEntityBase {

    @Id
    public String bucket;

    @Column(nullable = false)
    public long bytes;

    @Column(nullable = false)
    public long objects;
}
