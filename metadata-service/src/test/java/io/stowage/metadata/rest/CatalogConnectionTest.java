package io.stowage.metadata.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The settings every catalog connection opens with (config/CatalogPool), as the real PostgreSQL reports them. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(OidcResource.class)
class CatalogConnectionTest {

    @Inject
    Pool pool;

    @Test
    void connectionsPlanEachRunWithItsValuesAndBoundEachStatement() {
        assertEquals("force_custom_plan", show("plan_cache_mode"));
        assertEquals("5s", show("statement_timeout"));
    }

    private String show(String setting) {
        return pool.query("SHOW " + setting).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }
}
