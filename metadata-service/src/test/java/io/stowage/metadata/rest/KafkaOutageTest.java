package io.stowage.metadata.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.PostgresResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.stowage.metadata.rest.MetadataTestSupport.as;
import static io.stowage.metadata.rest.MetadataTestSupport.awaitRecords;
import static io.stowage.metadata.rest.MetadataTestSupport.consumer;
import static io.stowage.metadata.rest.MetadataTestSupport.header;
import static io.stowage.metadata.rest.MetadataTestSupport.newBucket;
import static io.stowage.metadata.rest.MetadataTestSupport.query;
import static io.stowage.metadata.rest.MetadataTestSupport.readTree;
import static io.stowage.metadata.rest.MetadataTestSupport.register;
import static io.stowage.metadata.rest.MetadataTestSupport.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service on a broker of its own, which the test stops: writes keep succeeding while Kafka is
 * down, and once it is back every event arrives, in per-object order, with unique ids.
 */
@QuarkusTest
@TestProfile(KafkaOutageTest.OwnBroker.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(OidcResource.class)
class KafkaOutageTest {

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    public static class OwnBroker implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnKafkaBroker.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // give up on a dead broker quickly, so rounds end and retry rather than hang
            return Map.of("stowage.outbox.send-timeout", "3s");
        }
    }

    @Test
    void writesSucceedWhileKafkaIsDownAndEveryEventArrivesInOrderOnceItIsBack() throws Exception {
        String bucket = newBucket(Map.of());
        String alice = user("alice");
        // one event through first: the topic exists and the relay's producer is connected before the outage
        register(alice, bucket, "warm-up.txt", Map.of()).then().statusCode(201);
        try (KafkaConsumer<String, String> consumer = consumer(OwnKafkaBroker.bootstrapServers())) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            awaitRecords(consumer, bucket + "/warm-up.txt", 1);
        }

        OwnKafkaBroker.stopBroker();
        // 200 writes: 100 objects, each created then deleted
        for (int i = 0; i < 100; i++) {
            String id = register(alice, bucket, "down/" + i + ".txt", Map.of()).then().statusCode(201).extract().path("id");
            as(alice).delete("/v1/files/" + id).then().statusCode(200);
        }
        assertEquals(List.of(), query("SELECT subject, event_type, count(*) AS n FROM outbox WHERE subject LIKE ?"
                + " GROUP BY subject, event_type HAVING count(*) <> 1", bucket + "/down/%"));
        assertEquals(200L, query("SELECT count(*) AS n FROM outbox WHERE subject LIKE ? AND published_at IS NULL",
                bucket + "/down/%").getFirst().get("n"));

        // the gauges tell the truth during the outage: measured on a timer, not only when a relay round fails
        long deadlineForGauges = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        double backlog = 0;
        double oldestAge = 0;
        while (System.nanoTime() < deadlineForGauges && (backlog < 200 || oldestAge <= 0)) {
            String scraped = io.restassured.RestAssured.given().get(metrics).asString();
            backlog = gauge(scraped, "stowage_outbox_backlog");
            oldestAge = gauge(scraped, "stowage_outbox_oldest_age_seconds");
            Thread.sleep(250);
        }
        assertTrue(backlog >= 200, "stowage_outbox_backlog during the outage: " + backlog);
        assertTrue(oldestAge > 0, "stowage_outbox_oldest_age_seconds during the outage: " + oldestAge);

        OwnKafkaBroker.restart();
        Map<String, List<ConsumerRecord<String, String>>> byKey = new LinkedHashMap<>();
        int received = 0;
        try (KafkaConsumer<String, String> consumer = consumer(OwnKafkaBroker.bootstrapServers())) {
            consumer.subscribe(List.of(ObjectEvents.DEFAULT_TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (received < 200 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key().startsWith(bucket + "/down/")) {
                        byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
                        received++;
                    }
                }
            }
        }
        assertEquals(200, received);
        assertEquals(100, byKey.size());
        Set<String> ids = new HashSet<>();
        for (var entry : byKey.entrySet()) {
            List<ConsumerRecord<String, String>> events = entry.getValue();
            assertEquals(List.of(ObjectEvents.CREATED, ObjectEvents.DELETED),
                    events.stream().map(r -> header(r, "ce_type")).toList(), entry.getKey());
            JsonNode created = readTree(events.get(0).value());
            JsonNode deleted = readTree(events.get(1).value());
            assertTrue(deleted.get("sequence").asLong() > created.get("sequence").asLong(), entry.getKey());
            events.forEach(r -> ids.add(header(r, "ce_id")));
        }
        assertEquals(200, ids.size());
        assertEquals(0L, query("SELECT count(*) AS n FROM outbox WHERE subject LIKE ? AND published_at IS NULL",
                bucket + "/down/%").getFirst().get("n"));
    }

    /** The value of a gauge without labels in a Prometheus scrape, 0 when absent. */
    private static double gauge(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
