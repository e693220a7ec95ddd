package io.stowage.upload;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stowage.infra.quarkus.KafkaResource;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.upload.client.Upstreams;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.stowage.upload.CatalogStubs.bucket;
import static io.stowage.upload.CatalogStubs.json;
import static io.stowage.upload.CatalogStubs.token;
import static io.stowage.upload.UploadPathFixtures.HTTP;
import static io.stowage.upload.UploadPathFixtures.JSON;
import static io.stowage.upload.UploadPathFixtures.stubCatalog;
import static io.stowage.upload.UploadPathFixtures.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bucket settings cache: direct uploads to one bucket ask metadata-service once while an entry lives, a
 * refusal is never kept, a changed limit applies once the entry is gone, and what ships keeps an entry at most
 * 1 s. Its own application start (the cache is off in the other tests, which count lookups per request); the
 * entries live an hour here, so that "served from the cache" does not depend on how fast the machine is.
 */
@QuarkusTest
@TestProfile(BucketCacheTest.CacheOn.class)
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(UpstreamsResource.class)
class BucketCacheTest {

    public static class CacheOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.cache.enabled", "true",
                    "quarkus.cache.caffeine.\"bucket-settings\".expire-after-write", "1H");
        }
    }

    @InjectWireMock
    WireMockServer metadata;

    @Inject
    @CacheName(Upstreams.BUCKET_SETTINGS)
    Cache cache;

    @BeforeEach
    void freshCatalogAndCache() {
        stubCatalog(metadata);
        cache.invalidateAll().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void directUploadsToOneBucketAskTheCatalogForItsSettingsOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = put("/v1/objects/docs/cached/" + i + ".txt", "x".repeat(10));
            assertEquals(201, answer.statusCode(), answer.body());
        }
        metadata.verify(1, getRequestedFor(urlEqualTo("/v1/buckets/docs")));
        metadata.verify(3, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void aRefusedLookupIsNotKept() throws Exception {
        metadata.stubFor(get(urlEqualTo("/v1/buckets/later")).willReturn(json(404,
                "{\"statusCode\":404,\"error\":\"BucketNotFound\",\"message\":\"no bucket 'later'\"}")));
        HttpResponse<String> missing = put("/v1/objects/later/a.txt", "a");
        assertEquals(404, missing.statusCode(), missing.body());
        assertEquals("BucketNotFound", JSON.readTree(missing.body()).get("error").asText());

        metadata.stubFor(get(urlEqualTo("/v1/buckets/later")).willReturn(json(200, bucket("later", null, "null"))));
        assertEquals(201, put("/v1/objects/later/a.txt", "a").statusCode());
        metadata.verify(2, getRequestedFor(urlEqualTo("/v1/buckets/later")));
    }

    @Test
    void aLimitChangedWhileAnEntryLivesAppliesOnceItIsGone() throws Exception {
        metadata.stubFor(get(urlEqualTo("/v1/buckets/shrinking")).willReturn(json(200, bucket("shrinking", 1000L, "null"))));
        assertEquals(201, put("/v1/objects/shrinking/a.txt", "x".repeat(500)).statusCode());
        metadata.stubFor(get(urlEqualTo("/v1/buckets/shrinking")).willReturn(json(200, bucket("shrinking", 100L, "null"))));

        // within the entry's life the old limit still admits it (metadata-service checks again when registering)
        assertEquals(201, put("/v1/objects/shrinking/b.txt", "x".repeat(500)).statusCode());
        // what expiry does: the entry goes, and the next upload reads the new limit before a byte is read
        cache.invalidate("shrinking").await().atMost(Duration.ofSeconds(10));
        HttpResponse<String> refused = put("/v1/objects/shrinking/c.txt", "x".repeat(500));
        assertEquals(413, refused.statusCode(), refused.body());
        metadata.verify(2, getRequestedFor(urlEqualTo("/v1/buckets/shrinking")));
        metadata.verify(2, postRequestedFor(urlEqualTo("/internal/objects")));
    }

    @Test
    void whatShipsKeepsBucketSettingsAtMostOneSecond() throws Exception {
        Properties shipped = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            assertNotNull(in);
            shipped.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        String ttl = shipped.getProperty("quarkus.cache.caffeine.\"bucket-settings\".expire-after-write");
        Matcher fallback = Pattern.compile("\\$\\{STOWAGE_BUCKET_CACHE_TTL:(.+)}").matcher(String.valueOf(ttl));
        assertTrue(fallback.matches(), ttl);
        Duration bound = Duration.parse("PT" + fallback.group(1));
        assertTrue(!bound.isNegative() && bound.compareTo(Duration.ofSeconds(1)) <= 0, bound.toString());
        assertNotNull(shipped.getProperty("quarkus.cache.caffeine.\"bucket-settings\".maximum-size"));
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + token("alice")).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
