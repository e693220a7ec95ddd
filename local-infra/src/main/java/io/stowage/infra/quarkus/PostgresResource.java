package io.stowage.infra.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.infra.PostgresServer;
import io.stowage.infra.SharedInfra;
import java.util.Map;

/** Points a service's datasource (JDBC for Flyway, reactive for the app) at the shared real PostgreSQL. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        PostgresServer pg = SharedInfra.postgres();
        return Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD);
    }

    @Override
    public void stop() {
        // shared across test classes; stops with the JVM
    }
}
