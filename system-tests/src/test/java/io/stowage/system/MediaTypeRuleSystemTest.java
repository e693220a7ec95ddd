package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One content-type rule on every upload path (io.stowage.contract.MediaTypes in the gateway,
 * upload-service and metadata-service): an {@code image/jpg} upload into a bucket that allows
 * {@code image/jpeg} is taken by the direct, the presigned and the Supabase path alike, and a type the
 * bucket refuses is refused by all three before anything reaches S3.
 */
class MediaTypeRuleSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static StowageSuite suite;
    private static String alice;
    private static String bucket;
    private static byte[] jpeg;

    @BeforeAll
    static void jpegOnlyBucket() throws Exception {
        suite = StowageSuite.get();
        alice = suite.identities().token("alice");
        bucket = "jpegs-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<byte[]> created = send("POST", "/v1/buckets", suite.identities().token("root"),
                JSON.writeValueAsBytes(Map.of("name", bucket, "allowedMimeTypes", List.of("image/jpeg"))), "application/json");
        assertEquals(201, created.statusCode(), new String(created.body()));
        jpeg = SystemTestSupport.jpeg(32, 24, Color.MAGENTA);
    }

    @Test
    void imageJpgIsTakenByEveryUploadPath() throws Exception {
        HttpResponse<byte[]> direct = send("PUT", "/v1/objects/" + bucket + "/direct.jpg", alice, jpeg, "image/jpg");
        assertEquals(201, direct.statusCode(), new String(direct.body()));

        JsonNode presigned = presign("presigned.jpg", "image/jpg", jpeg.length);
        HttpResponse<String> put = HTTP.send(SystemTestSupport.presignedPut(presigned, jpeg), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        HttpResponse<byte[]> registered = send("POST", "/v1/files", alice,
                JSON.writeValueAsBytes(Map.of("uploadId", presigned.get("uploadId").asText())), "application/json");
        assertEquals(201, registered.statusCode(), new String(registered.body()));

        HttpResponse<byte[]> supabase = send("POST", "/storage/v1/object/" + bucket + "/supabase.jpg", alice, jpeg, "image/jpg");
        assertEquals(200, supabase.statusCode(), new String(supabase.body()));

        for (String name : List.of("direct.jpg", "presigned.jpg", "supabase.jpg")) {
            assertEquals(200, send("GET", "/v1/files/by-path/" + bucket + "/" + name, alice, null, null).statusCode(), name);
        }
    }

    @Test
    void aRefusedTypeIsRefusedByEveryPathWithNothingInS3() throws Exception {
        int before = s3Keys();
        HttpResponse<byte[]> direct = send("PUT", "/v1/objects/" + bucket + "/refused.txt", alice, "text".getBytes(), "text/plain");
        assertEquals(415, direct.statusCode(), new String(direct.body()));
        HttpResponse<byte[]> presign = send("POST", "/v1/files/presigned-url", alice, JSON.writeValueAsBytes(Map.of("bucket", bucket,
                "path", "refused.txt", "contentType", "text/plain", "size", 4)), "application/json");
        assertEquals(415, presign.statusCode(), new String(presign.body()));
        HttpResponse<byte[]> supabase = send("POST", "/storage/v1/object/" + bucket + "/refused.txt", alice, "text".getBytes(), "text/plain");
        assertEquals(400, supabase.statusCode(), new String(supabase.body()));
        assertEquals("415", JSON.readTree(supabase.body()).get("statusCode").asText());
        assertEquals(before, s3Keys(), "nothing reached S3");
        assertEquals(404, send("GET", "/v1/files/by-path/" + bucket + "/refused.txt", alice, null, null).statusCode());
    }

    private static JsonNode presign(String path, String contentType, int size) throws Exception {
        HttpResponse<byte[]> answer = send("POST", "/v1/files/presigned-url", alice, JSON.writeValueAsBytes(Map.of("bucket", bucket,
                "path", path, "contentType", contentType, "size", size)), "application/json");
        assertEquals(true, answer.statusCode() == 200 || answer.statusCode() == 201, new String(answer.body()));
        return JSON.readTree(answer.body());
    }

    private static int s3Keys() {
        var s3 = suite.s3().client();
        int count = 0;
        String token = null;
        do {
            String from = token;
            var page = s3.listObjectsV2(b -> b.bucket(suite.s3().bucket()).continuationToken(from));
            count += page.keyCount();
            token = page.nextContinuationToken();
        } while (token != null);
        return count;
    }

    private static HttpResponse<byte[]> send(String method, String path, String token, byte[] body, String contentType) throws Exception {
        return SystemTestSupport.send(suite, method, path, token, body, contentType);
    }
}
