package io.stowage.metadata.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An owner's usage over every bucket ({@code owner_usage}), read here; changed only by {@link Usage#apply}. */
@Entity
@Table(name = "owner_usage")
public class OwnerUsageEntity extends PanacheEntityBase {

    @Id
    public String owner;

    @Column(nullable = false)
    public long bytes;

    @Column(nullable = false)
    public long objects;
}
