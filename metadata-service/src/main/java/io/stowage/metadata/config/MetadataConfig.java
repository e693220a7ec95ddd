package io.stowage.metadata.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "stowage")
public interface MetadataConfig {

    Events events();

    Outbox outbox();

    Jobs jobs();

    Catalog catalog();

    Quota quota();

    interface Quota {
        /** The default quota of stored bytes per owner, over every bucket ({@code STOWAGE_QUOTA_OWNER_MAX_BYTES}); none when unset. */
        java.util.Optional<Long> ownerMaxBytes();

        /** The default quota of stored objects per owner, over every bucket ({@code STOWAGE_QUOTA_OWNER_MAX_OBJECTS}); none when unset. */
        java.util.Optional<Long> ownerMaxObjects();

        /** How often the usage gauges read the totals. */
        @WithDefault("15s")
        String gaugeInterval();
    }

    interface Events {
        /** The object-events topic ({@code STOWAGE_EVENTS_TOPIC}). */
        @WithDefault(io.stowage.events.ObjectEvents.DEFAULT_TOPIC)
        String topic();

        /** Partitions given to the topic when the relay creates it. */
        @WithDefault("3")
        int partitions();

        /** Replication factor given to the topic when the relay creates it. */
        @WithDefault("1")
        short replicationFactor();
    }

    interface Outbox {
        /** How often the relay looks for unpublished rows (it is also nudged after each change commits). */
        @WithDefault("1s")
        String pollInterval();

        /** Rows the relay takes per transaction. */
        @WithDefault("100")
        int batchSize();

        /** How long the relay waits for Kafka to acknowledge a batch before it rolls back and retries. */
        @WithDefault("30s")
        Duration sendTimeout();
    }

    interface Jobs {
        /** How often a replica looks for waiting background jobs. */
        @WithDefault("1s")
        String pollInterval();

        /** Objects per job transaction. */
        @WithDefault("100")
        int batchSize();

        /** A running job whose heartbeat is older than this is taken over by another runner. */
        @WithDefault("60s")
        Duration staleAfter();
    }

    interface Catalog {
        /** Largest user metadata JSON, in bytes of UTF-8. */
        @WithDefault("8192")
        int maxMetadataBytes();

        /** Largest listing page. */
        @WithDefault("1000")
        int maxPageSize();

        /**
         * How long a request may wait for PostgreSQL before it is answered 503 CatalogUnavailable
         * (0 = no deadline). Callers' own deadlines are longer (the gateway's and upload-service's).
         */
        @WithDefault("5s")
        Duration deadline();

        /** How long readiness waits for {@code SELECT 1} before it says DOWN. */
        @WithDefault("800ms")
        Duration readinessTimeout();

        /** The reactive pool's limits (see {@link CatalogPool}). */
        Db db();

        interface Db {
            /** TCP connect to PostgreSQL. */
            @WithDefault("1s")
            Duration connectTimeout();

            /** Waiting for a pooled connection when all are busy. */
            @WithDefault("2s")
            Duration acquireTimeout();

            /** PostgreSQL's {@code statement_timeout} for the catalog's statements. */
            @WithDefault("5s")
            Duration statementTimeout();
        }
    }
}
