package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/files} of a bucket that is not public, through the gateway on the real services: a user's pages
 * (keyset, a few objects a page) are exactly the objects that user may read (public, protected, their own), in name
 * order, as are the pages of a substring search. The catalog serves these
 * with one ordered index scan per way a row may be readable, and search with a trigram index (issue 14, item 6).
 */
class ListingSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aUsersPagesAndSearchesAreExactlyWhatTheyMayRead() throws Exception {
        StowageSuite suite = StowageSuite.get();
        String admin = suite.identities().token("root");
        String alice = suite.identities().token("alice");
        String bob = suite.identities().token("bob");
        String bucket = "list-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send(suite, "POST", "/v1/buckets", admin, JSON.writeValueAsBytes(Map.of("name", bucket)), "application/json").statusCode());

        List<String> visibilities = List.of("public", "protected", "private");
        TreeSet<String> forBob = new TreeSet<>();
        TreeSet<String> forAlice = new TreeSet<>();
        for (int i = 0; i < 12; i++) {
            String visibility = visibilities.get(i % 3);
            boolean bobs = i % 4 == 0;
            String name = String.format("f%02d-%s%s.txt", i, visibility, i % 2 == 0 ? "-Report" : "");
            HttpResponse<byte[]> put = SystemTestSupport.send(suite, "PUT", "/v1/objects/" + bucket + "/" + name, bobs ? bob : alice,
                    ("object " + i).getBytes(StandardCharsets.UTF_8), "text/plain", "X-Stowage-Visibility", visibility);
            assertTrue(put.statusCode() == 200 || put.statusCode() == 201, new String(put.body()));
            if (!visibility.equals("private") || !bobs) {
                forAlice.add(name);
            }
            if (!visibility.equals("private") || bobs) {
                forBob.add(name);
            }
        }
        assertEquals(List.copyOf(forBob), pages(suite, bob, bucket, ""));
        assertEquals(List.copyOf(forAlice), pages(suite, alice, bucket, ""));
        // the gateway lists for signed-in callers only
        assertEquals(401, send(suite, "GET", "/v1/files?bucket=" + bucket, null, null, null).statusCode());
        assertEquals(forBob.stream().filter(n -> n.contains("-Report")).toList(), pages(suite, bob, bucket, "&search=" + enc("-report")));
        assertEquals(List.of(), pages(suite, bob, bucket, "&search=" + enc("%")), "search is literal");
    }

    private static List<String> pages(StowageSuite suite, String token, String bucket, String query) throws Exception {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<byte[]> page = SystemTestSupport.send(suite, "GET", "/v1/files?bucket=" + bucket + "&limit=2" + query
                    + (cursor == null ? "" : "&cursor=" + enc(cursor)), token, null, null);
            assertEquals(200, page.statusCode(), new String(page.body()));
            JsonNode body = JSON.readTree(page.body());
            body.get("items").forEach(item -> names.add(item.get("name").asText()));
            JsonNode next = body.path("nextCursor");
            cursor = next.isMissingNode() || next.isNull() ? null : next.asText();
        } while (cursor != null);
        return names;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static HttpResponse<byte[]> send(StowageSuite suite, String method, String path, String token, byte[] body,
                                             String contentType) throws Exception {
        return SystemTestSupport.send(suite, method, path, token, body, contentType);
    }
}
