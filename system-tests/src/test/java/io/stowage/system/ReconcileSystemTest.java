package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code /v1/admin/reconcile} through the gateway on the real services (upload-service walking the real S3 bucket and
 * metadata-service's referenced blobs with its own service token): a blob in S3 that no object references is deleted
 * once older than the grace (the suite's is a few seconds), an object's blob is never touched, and a row whose blob
 * was removed from S3 behind the catalog's back is reported with its bucket and name. Only administrators may run or
 * read it.
 */
class ReconcileSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunDeletesOrphanBlobsKeepsObjectsBlobsAndReportsRowsWhoseBlobIsGone() throws Exception {
        StowageSuite suite = StowageSuite.get();
        String admin = suite.identities().token("root");
        String alice = suite.identities().token("alice");
        S3Client s3 = suite.s3().client();
        String physical = suite.s3().bucket();
        String bucket = "recon-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send(suite, "POST", "/v1/buckets", admin, JSON.writeValueAsBytes(Map.of("name", bucket)), "application/json").statusCode());

        Set<String> before = blobKeys(s3, physical);
        assertEquals(201, send(suite, "PUT", "/v1/objects/" + bucket + "/kept.txt", alice, bytes("an object's bytes"), "text/plain").statusCode());
        String kept = only(difference(blobKeys(s3, physical), before));
        before = blobKeys(s3, physical);
        assertEquals(201, send(suite, "PUT", "/v1/objects/" + bucket + "/lost.txt", alice, bytes("bytes that will vanish"), "text/plain").statusCode());
        String lost = only(difference(blobKeys(s3, physical), before));
        // removed behind the catalog's back: a row whose bytes are gone
        s3.deleteObject(r -> r.bucket(physical).key(lost));
        // what a lost registration leaves: bytes no object references
        String orphan = "blobs/" + UUID.randomUUID();
        s3.putObject(r -> r.bucket(physical).key(orphan), RequestBody.fromString("nobody's"));

        // only administrators
        HttpResponse<byte[]> refused = send(suite, "POST", "/v1/admin/reconcile", alice, null, null);
        assertEquals(403, refused.statusCode(), new String(refused.body()));
        assertEquals("Forbidden", JSON.readTree(refused.body()).get("error").asText());
        assertEquals(403, send(suite, "GET", "/v1/admin/reconcile", alice, null, null).statusCode());
        assertEquals(401, send(suite, "POST", "/v1/admin/reconcile", null, null, null).statusCode());

        // past the grace (8 s in the suite), the orphan is judged
        Thread.sleep(9_000);
        HttpResponse<byte[]> started = send(suite, "POST", "/v1/admin/reconcile", admin, null, null);
        assertEquals(202, started.statusCode(), new String(started.body()));
        String runId = JSON.readTree(started.body()).get("runId").asText();
        JsonNode report = awaitFinished(suite, admin, runId);

        assertEquals("finished", report.get("state").asText(), report.toString());
        assertFalse(exists(s3, physical, orphan), "the orphan blob is still in S3: " + report);
        assertTrue(exists(s3, physical, kept), "an object's blob was deleted");
        assertTrue(report.at("/blobs/deleted").asLong() >= 1, report.toString());
        HttpResponse<byte[]> read = send(suite, "GET", "/v1/objects/" + bucket + "/kept.txt", alice, null, null);
        assertEquals("an object's bytes", new String(read.body(), StandardCharsets.UTF_8));
        boolean reported = false;
        for (JsonNode row : report.at("/rows/sample")) {
            reported |= row.get("blobKey").asText().equals(lost) && row.get("bucket").asText().equals(bucket)
                    && row.get("name").asText().equals("lost.txt");
        }
        assertTrue(reported || report.at("/rows/dangling").asLong() > 100, "the row whose blob is gone is not reported: " + report);
    }

    private static JsonNode awaitFinished(StowageSuite suite, String admin, String runId) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            HttpResponse<byte[]> answer = send(suite, "GET", "/v1/admin/reconcile", admin, null, null);
            assertEquals(200, answer.statusCode(), new String(answer.body()));
            JsonNode report = JSON.readTree(answer.body());
            if (report.get("runId").asText().equals(runId) && !report.get("state").asText().equals("running")) {
                return report;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("reconciliation " + runId + " did not finish: " + report);
            }
            Thread.sleep(200);
        }
    }

    private static Set<String> blobKeys(S3Client s3, String physical) {
        return s3.listObjectsV2Paginator(r -> r.bucket(physical).prefix("blobs/")).contents().stream()
                .map(o -> o.key()).collect(Collectors.toSet());
    }

    private static Set<String> difference(Set<String> after, Set<String> before) {
        return after.stream().filter(k -> !before.contains(k)).collect(Collectors.toSet());
    }

    private static String only(Set<String> keys) {
        assertEquals(1, keys.size(), keys.toString());
        return keys.iterator().next();
    }

    private static boolean exists(S3Client s3, String physical, String key) {
        try {
            s3.headObject(r -> r.bucket(physical).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<byte[]> send(StowageSuite suite, String method, String path, String token, byte[] body,
                                             String contentType) throws Exception {
        return SystemTestSupport.send(suite, method, path, token, body, contentType);
    }
}
