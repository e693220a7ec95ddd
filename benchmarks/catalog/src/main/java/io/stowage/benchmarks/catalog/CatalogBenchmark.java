package io.stowage.benchmarks.catalog;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.KafkaBroker;
import io.stowage.infra.PostgresServer;
import io.stowage.metadata.config.MetadataConfig;
import io.stowage.metadata.listing.Cursor;
import io.stowage.metadata.listing.ListingQuery;
import io.stowage.metadata.listing.SortKey;
import io.stowage.metadata.outbox.EventPublisher;
import io.stowage.metadata.outbox.OutboxRelay;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The catalog at scale, on real PostgreSQL 18 and a real KRaft broker (local-infra), with
 * metadata-service's own Flyway schema, listing SQL ({@link ListingQuery}) and outbox relay
 * ({@link OutboxRelay}):
 * <ol>
 *   <li>fills one bucket with {@code bench.objects} objects (default 1,000,000) by COPY;</li>
 *   <li>prints the latency of the first page and of the last page (depth = all objects), keyset
 *       cursor vs offset, by name and by creation time; of a substring search (trigram index), rare and common;
 *       and of a non-admin's first and deep page of the private bucket (one in a thousand objects public, one
 *       in a thousand the caller's), against the same rule applied as a filter on the name index;</li>
 *   <li>prints the outbox relay's sustained events per second into Kafka, for {@code bench.events}
 *       waiting events (default 100,000), at the service's batch size and a larger one.</li>
 * </ol>
 * Run: {@code ./mvnw -B -f benchmarks/catalog/pom.xml compile exec:exec} (metadata-service installed first).
 */
public final class CatalogBenchmark {

    private static final String BUCKET = "bench";
    private static final int PAGE = 100;
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    private CatalogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int objects = Integer.getInteger("bench.objects", 1_000_000);
        int events = Integer.getInteger("bench.events", 100_000);
        try (PostgresServer pg = PostgresServer.start(0, null); KafkaBroker kafka = KafkaBroker.start(0, null)) {
            Flyway.configure().dataSource(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD)
                    .locations("classpath:db/migration").load().migrate();
            // plan_cache_mode=force_custom_plan, as metadata-service's connections set it: every run of a cached statement
            // is planned with its values, so a rare search pattern gets the trigram index, not a generic plan's name scan
            String url = pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "options=-c%20plan_cache_mode%3Dforce_custom_plan";
            try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
                fill(c, objects);
                listing(c, objects);
            }
            outbox(pg, kafka, events, 100);
            outbox(pg, kafka, events, 1000);
        }
    }

    // --- fill -----------------------------------------------------------------------------------

    private static String name(int i) {
        return String.format("data/%07d.bin", i);
    }

    private static void fill(Connection c, int objects) throws SQLException, java.io.IOException {
        long start = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO buckets (name, public, owner, created_at, updated_at) VALUES ('" + BUCKET + "', false, 'bench', now(), now())");
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        int chunk = 50_000;
        for (int from = 0; from < objects; from += chunk) {
            StringBuilder csv = new StringBuilder(chunk * 200);
            for (int i = from; i < Math.min(objects, from + chunk); i++) {
                OffsetDateTime at = BASE.plusMillis(i).atOffset(ZoneOffset.UTC);
                csv.append(UUID.randomUUID()).append(',').append(BUCKET).append(',').append(name(i)).append(',')
                        .append(UUID.randomUUID()).append(",blobs/").append(UUID.randomUUID()).append(',')
                        .append(1000 + (i * 7919L) % 1_000_000).append(",application/octet-stream,\"\"\"e").append(i)
                        .append("\"\"\",owner-").append(i % 1000).append(i % 1000 == 500 ? ",public," : ",private,").append(at).append(',').append(at).append('\n');
            }
            copy.copyIn("COPY objects (id, bucket, name, version_id, blob_key, size, content_type, etag, owner, visibility,"
                    + " created_at, updated_at) FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
        }
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE objects");
        }
        System.out.printf("filled bucket with %,d objects in %.1f s%n", objects, (System.nanoTime() - start) / 1e9);
    }

    // --- listing --------------------------------------------------------------------------------

    private static void listing(Connection c, int objects) throws SQLException {
        int deep = objects - PAGE;
        String lastBefore = name(deep - 1);
        Object[] createdKey = createdKeyOf(c, lastBefore);
        Cursor byName = new Cursor(SortKey.NAME, lastBefore, null, false);
        Cursor byCreated = new Cursor(SortKey.CREATED, ((OffsetDateTime) createdKey[0]).toInstant().toString(), (UUID) createdKey[1], false);

        System.out.printf("%nlisting %d objects a page, bucket of %,d objects (median / p95 of 20 runs after 5 warm-ups)%n", PAGE, objects);
        System.out.printf("%-52s %12s %12s%n", "query", "median ms", "p95 ms");
        report(c, "keyset, by name, first page", new ListingQuery().bucket(BUCKET).limit(PAGE), name(0));
        report(c, "keyset, by name, page at depth " + deep, new ListingQuery().bucket(BUCKET).limit(PAGE).after(byName), name(deep));
        report(c, "offset, by name, first page", new ListingQuery().bucket(BUCKET).limit(PAGE).offset(0), name(0));
        report(c, "offset, by name, page at depth " + deep, new ListingQuery().bucket(BUCKET).limit(PAGE).offset(deep), name(deep));
        report(c, "keyset, by created, page at depth " + deep,
                new ListingQuery().bucket(BUCKET).sort(SortKey.CREATED, false).limit(PAGE).after(byCreated), name(deep));
        report(c, "offset, by created, page at depth " + deep,
                new ListingQuery().bucket(BUCKET).sort(SortKey.CREATED, false).limit(PAGE).offset(deep), name(deep));
        report(c, "keyset, by name, under a prefix, first page",
                new ListingQuery().bucket(BUCKET).prefix(name(deep).substring(0, 10)).limit(PAGE), null);
        // the old form of the rule: one filter on the ordered name index, which scans past what the caller may not read
        String filtered = "SELECT * FROM objects WHERE bucket = ? AND deleted_at IS NULL AND NOT delete_marker AND name > ?"
                + " AND (visibility IN ('public', 'protected') OR owner = ? OR (visibility = 'shared' AND ? = ANY (shared_with)))"
                + " ORDER BY name ASC LIMIT " + PAGE;
        int readableDepth = objects - 200_000;
        String readableAfter = name(readableDepth - 1);
        report(c, "non-admin (1/1000 public, 1/1000 own), first page",
                new ListingQuery().bucket(BUCKET).readableBy("owner-7").limit(PAGE), firstReadable(0, objects));
        report(c, "non-admin, page at depth " + readableDepth,
                new ListingQuery().bucket(BUCKET).readableBy("owner-7").limit(PAGE)
                        .after(new Cursor(SortKey.NAME, readableAfter, null, false)), firstReadable(readableDepth, objects));
        // before: the rule as a filter, without the indexes V6 added for it (dropped in a transaction rolled back after)
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("DROP INDEX objects_current_visibility_name, objects_current_owner_name");
            report(c, "  before: the rule as a filter, first page",
                    new ListingQuery.Jdbc(filtered, List.of(BUCKET, "", "owner-7", "owner-7")), firstReadable(0, objects));
            report(c, "  before: the rule as a filter, at depth " + readableDepth,
                    new ListingQuery.Jdbc(filtered, List.of(BUCKET, readableAfter, "owner-7", "owner-7")), firstReadable(readableDepth, objects));
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        // before: a search without the trigram index
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("DROP INDEX objects_current_name_trgm");
            report(c, "  before: search '1234' without the trigram index",
                    new ListingQuery().bucket(BUCKET).search("1234").limit(PAGE), firstContaining("1234", objects));
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        explain(c, "substring search '1234'", new ListingQuery().bucket(BUCKET).search("1234").limit(PAGE).build().jdbc());
        report(c, "substring search '1234' (300 matches), first page",
                new ListingQuery().bucket(BUCKET).search("1234").limit(PAGE), firstContaining("1234", objects));
        report(c, "substring search '.bin' (every object), first page",
                new ListingQuery().bucket(BUCKET).search(".bin").limit(PAGE), name(0));
    }

    /** Prints the plan PostgreSQL chose (EXPLAIN ANALYZE), its first lines. */
    private static void explain(Connection c, String label, ListingQuery.Jdbc sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF) " + sql.text())) {
            for (int i = 0; i < sql.values().size(); i++) {
                st.setObject(i + 1, sql.values().get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                System.out.println("  plan of " + label + ":");
                for (int line = 0; rs.next() && line < 8; line++) {
                    System.out.println("    " + rs.getString(1));
                }
            }
        }
    }

    /** The first name from {@code from} on that owner-7 may read (public: i % 1000 == 500; its own: i % 1000 == 7). */
    private static String firstReadable(int from, int objects) {
        for (int i = from; i < objects; i++) {
            if (i % 1000 == 500 || i % 1000 == 7) {
                return name(i);
            }
        }
        return null;
    }

    private static String firstContaining(String text, int objects) {
        for (int i = 0; i < objects; i++) {
            if (name(i).contains(text)) {
                return name(i);
            }
        }
        return null;
    }

    private static Object[] createdKeyOf(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT created_at, id FROM objects WHERE bucket = ? AND name = ?")) {
            st.setString(1, BUCKET);
            st.setString(2, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Object[] {rs.getObject(1, OffsetDateTime.class), rs.getObject(2, UUID.class)};
            }
        }
    }

    private static void report(Connection c, String label, ListingQuery query, String expectedFirst) throws SQLException {
        report(c, label, query.build().jdbc(), expectedFirst);
    }

    private static void report(Connection c, String label, ListingQuery.Jdbc sql, String expectedFirst) throws SQLException {
        double[] ms = new double[20];
        for (int run = -5; run < ms.length; run++) {
            long start = System.nanoTime();
            String first = null;
            int rows = 0;
            try (PreparedStatement st = c.prepareStatement(sql.text())) {
                for (int i = 0; i < sql.values().size(); i++) {
                    Object v = sql.values().get(i);
                    st.setObject(i + 1, v instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : v);
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if (rows++ == 0) {
                            first = rs.getString("name");
                        }
                    }
                }
            }
            if (run >= 0) {
                ms[run] = (System.nanoTime() - start) / 1e6;
            }
            if (expectedFirst != null && !expectedFirst.equals(first)) {
                throw new IllegalStateException(label + ": first row " + first + ", expected " + expectedFirst);
            }
            if (rows != PAGE) {
                throw new IllegalStateException(label + ": " + rows + " rows");
            }
        }
        Arrays.sort(ms);
        System.out.printf("%-52s %12.2f %12.2f%n", label, ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.95) - 1]);
    }

    // --- outbox ---------------------------------------------------------------------------------

    private static void outbox(PostgresServer pg, KafkaBroker kafka, int events, int batchSize) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD)) {
            StringBuilder csv = new StringBuilder(events * 300);
            for (int i = 0; i < events; i++) {
                String subject = ObjectEvents.key(BUCKET, name(i % 10_000));
                String payload = "{\"bucket\":\"" + BUCKET + "\",\"name\":\"" + name(i % 10_000) + "\",\"versionId\":\"" + UUID.randomUUID()
                        + "\",\"size\":1234,\"contentType\":\"image/png\",\"etag\":\"e\",\"owner\":\"bench\",\"visibility\":\"private\","
                        + "\"blobKey\":\"blobs/" + UUID.randomUUID() + "\",\"blobReleased\":false,\"sequence\":" + (i / 10_000 + 1) + "}";
                csv.append(UUID.randomUUID()).append(',').append(ObjectEvents.CREATED).append(',').append(subject).append(",\"")
                        .append(payload.replace("\"", "\"\"")).append("\",").append(BASE.atOffset(ZoneOffset.UTC)).append('\n');
            }
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY outbox (id, event_type, subject, payload, occurred_at) FROM STDIN (FORMAT csv)",
                    new StringReader(csv.toString()));
        }
        MetadataConfig config = config(batchSize);
        EventPublisher publisher = new EventPublisher(kafka.bootstrapServers(), config);
        try (AgroalDataSource ds = pool(pg)) {
            OutboxRelay relay = new OutboxRelay(ds, publisher, config, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            long start = System.nanoTime();
            long sent = 0;
            int n;
            while ((n = relay.relayBatch()) > 0) {
                sent += n;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%noutbox relay, batch %d: %,d events to Kafka (acks=all, idempotent) in %.1f s = %,.0f events/s%n",
                    batchSize, sent, seconds, sent / seconds);
            if (sent != events) {
                throw new IllegalStateException("relayed " + sent + " of " + events);
            }
        } finally {
            publisher.close();
        }
    }

    private static AgroalDataSource pool(PostgresServer pg) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(cp -> cp.maxSize(4)
                        .connectionFactoryConfiguration(cf -> cf.jdbcUrl(pg.jdbcUrl())
                                .principal(new NamePrincipal(PostgresServer.USER))
                                .credential(new SimplePassword(PostgresServer.PASSWORD)))));
    }

    /** The service's configuration, with the batch size under test. */
    private static MetadataConfig config(int batchSize) {
        return new MetadataConfig() {
            @Override
            public Events events() {
                return new Events() {
                    @Override
                    public String topic() {
                        return ObjectEvents.DEFAULT_TOPIC;
                    }

                    @Override
                    public int partitions() {
                        return 3;
                    }

                    @Override
                    public short replicationFactor() {
                        return 1;
                    }
                };
            }

            @Override
            public Outbox outbox() {
                return new Outbox() {
                    @Override
                    public String pollInterval() {
                        return "1s";
                    }

                    @Override
                    public int batchSize() {
                        return batchSize;
                    }

                    @Override
                    public Duration sendTimeout() {
                        return Duration.ofSeconds(30);
                    }
                };
            }

            @Override
            public Jobs jobs() {
                throw new UnsupportedOperationException("not used by the relay");
            }

            @Override
            public Catalog catalog() {
                throw new UnsupportedOperationException("not used by the relay");
            }

            @Override
            public Quota quota() {
                // the service's defaults: no per-owner quota (the relay reads none of it)
                return new Quota() {
                    @Override
                    public java.util.Optional<Long> ownerMaxBytes() {
                        return java.util.Optional.empty();
                    }

                    @Override
                    public java.util.Optional<Long> ownerMaxObjects() {
                        return java.util.Optional.empty();
                    }

                    @Override
                    public String gaugeInterval() {
                        return "15s";
                    }
                };
            }
        };
    }
}
