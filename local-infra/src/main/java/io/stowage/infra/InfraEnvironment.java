package io.stowage.infra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables that point Stowage's services at a set of running servers. The local run
 * writes them to a file; the system tests pass them to the service processes they start.
 */
public final class InfraEnvironment {

    public static final String DEFAULT_TOPIC = "stowage.object-events";

    private InfraEnvironment() {
    }

    public static Map<String, String> of(PostgresServer pg, KafkaBroker kafka, S3Server s3, String oidcIssuer, String topic) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STOWAGE_DB_JDBC_URL", pg.jdbcUrl());
        env.put("STOWAGE_DB_URL", pg.reactiveUrl());
        env.put("STOWAGE_DB_USER", PostgresServer.USER);
        env.put("STOWAGE_DB_PASSWORD", PostgresServer.PASSWORD);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("STOWAGE_EVENTS_TOPIC", topic);
        env.put("STOWAGE_S3_ENDPOINT", s3.endpoint());
        env.put("STOWAGE_S3_ACCESS_KEY", s3.accessKey());
        env.put("STOWAGE_S3_SECRET_KEY", s3.secretKey());
        env.put("STOWAGE_S3_REGION", s3.region());
        env.put("STOWAGE_S3_BUCKET", s3.bucket());
        env.put("STOWAGE_OIDC_ISSUER", oidcIssuer);
        return env;
    }
}
