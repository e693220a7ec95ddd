package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.events.ObjectEvents;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.util.List;
import java.util.UUID;

import static io.stowage.upload.UploadPathFixtures.awaitTrue;
import static io.stowage.upload.UploadPathFixtures.deleted;
import static io.stowage.upload.UploadPathFixtures.exists;
import static io.stowage.upload.UploadPathFixtures.physicalBucket;
import static io.stowage.upload.UploadPathFixtures.producer;
import static io.stowage.upload.UploadPathFixtures.s3;
import static io.stowage.upload.UploadPathFixtures.stubCatalog;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blob release: a deleted object's blob is deleted only when the event says it was released.
 * Against the real S3 server (SigV4-checking S3Proxy), the real Kafka broker and the real token issuer;
 * metadata-service is a WireMock stub. Shares one application start with every test of the same resources.
 */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class BlobReleaseTest {

    @InjectWireMock
    WireMockServer metadata;

    @BeforeEach
    void buckets() {
        stubCatalog(metadata);
    }

    @Test
    void deletesTheBlobOfADeletedObjectOnlyWhenItWasReleased() throws Exception {
        String released = "blobs/" + UUID.randomUUID();
        String stillReferenced = "blobs/" + UUID.randomUUID();
        for (String key : List.of(released, stillReferenced)) {
            s3.putObject(r -> r.bucket(physicalBucket).key(key), RequestBody.fromString("bytes"));
        }
        SharedInfra.kafka().createTopic(ObjectEvents.DEFAULT_TOPIC, 3);
        try (KafkaProducer<String, String> producer = producer()) {
            // same object, so same partition and in this order: a delete that keeps the blob, then one that releases it
            producer.send(deleted("docs/a.txt", stillReferenced, false)).get();
            producer.send(deleted("docs/a.txt", released, true)).get();
        }

        awaitTrue(() -> !exists(released), "the released blob is deleted");
        assertTrue(exists(stillReferenced));
    }

    @Test
    void skipsEventTypesItDoesNotActOnByTheirTypeAlone() throws Exception {
        String kept = "blobs/" + UUID.randomUUID();
        String released = "blobs/" + UUID.randomUUID();
        for (String key : List.of(kept, released)) {
            s3.putObject(r -> r.bucket(physicalBucket).key(key), RequestBody.fromString("bytes"));
        }
        SharedInfra.kafka().createTopic(ObjectEvents.DEFAULT_TOPIC, 3);
        try (KafkaProducer<String, String> producer = producer()) {
            // data that would release the blob, under types that release nothing (an update, bucket events, one
            // not invented yet): skipped by ce_type; then a real release on the same partition
            for (String type : List.of(ObjectEvents.UPDATED, ObjectEvents.BUCKET_DELETED, ObjectEvents.BUCKET_EMPTIED,
                    "io.stowage.object.archived.v1")) {
                var record = deleted("docs/b.txt", kept, true);
                record.headers().remove(ObjectEvents.HEADER_TYPE);
                record.headers().add(ObjectEvents.HEADER_TYPE, type.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                producer.send(record).get();
            }
            producer.send(deleted("docs/b.txt", released, true)).get();
        }

        awaitTrue(() -> !exists(released), "the release after the skipped events is done");
        assertTrue(exists(kept), "no other type releases a blob");
    }
}
