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
    }
}
