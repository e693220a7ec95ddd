package io.stowage.metadata.config;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reactive pool with the limits Quarkus's configuration does not offer, so that an unreachable or
 * overloaded PostgreSQL fails a request fast instead of holding it: a TCP connect timeout, a limit on
 * the wait for a pooled connection, and a server-side {@code statement_timeout}. (A hung server is
 * bounded by the request deadline, {@code stowage.catalog.deadline}.)
 *
 * <p>Every connection also plans each run of a statement with its values ({@code plan_cache_mode =
 * force_custom_plan}): prepared statements are cached per connection, and a generic plan cannot see that a search
 * pattern is rare, so it would scan the name index instead of the trigram index (benchmarks/catalog measures both).
 */
@Singleton
public class CatalogPool implements PgPoolCreator {

    private final Duration connectTimeout;
    private final Duration acquireTimeout;
    private final Duration statementTimeout;

    public CatalogPool(MetadataConfig config) {
        this.connectTimeout = config.catalog().db().connectTimeout();
        this.acquireTimeout = config.catalog().db().acquireTimeout();
        this.statementTimeout = config.catalog().db().statementTimeout();
    }

    @Override
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions()
                .setConnectionTimeout((int) acquireTimeout.toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        List<SqlConnectOptions> servers = new ArrayList<>();
        for (PgConnectOptions server : input.pgConnectOptionsList()) {
            server.setConnectTimeout((int) connectTimeout.toMillis());
            server.addProperty("statement_timeout", String.valueOf(statementTimeout.toMillis()));
            server.addProperty("plan_cache_mode", "force_custom_plan");
            servers.add(server);
        }
        return PgBuilder.pool().with(pool).connectingTo(servers).using(input.vertx()).build();
    }
}
