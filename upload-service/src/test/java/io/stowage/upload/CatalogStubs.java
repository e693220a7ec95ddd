package io.stowage.upload;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.stowage.infra.SharedInfra;
import java.util.Set;

/** What the upload tests share: tokens of the real issuer and metadata-service's answers, stubbed. */
final class CatalogStubs {

    private CatalogStubs() {
    }

    static String token(String user) {
        return SharedInfra.issuer().mint(user, Set.of());
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** A Bucket as metadata-service answers it. */
    static String bucket(String name, Long limit, String allowed) {
        return """
                {"id": "%s", "name": "%s", "public": false, "fileSizeLimit": %s, "allowedMimeTypes": %s,
                 "owner": "root", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}"""
                .formatted(name, name, limit, allowed);
    }

    /** A fresh stub with the buckets every test class uses: photos (1000 bytes, image/*) and docs (no limits). */
    static void resetWithBuckets(WireMockServer metadata) {
        metadata.resetAll();
        metadata.stubFor(get(urlEqualTo("/v1/buckets/photos")).willReturn(json(200, bucket("photos", 1000L, "[\"image/*\"]"))));
        metadata.stubFor(get(urlEqualTo("/v1/buckets/docs")).willReturn(json(200, bucket("docs", null, "null"))));
        // the catalog references none of the blobs the sweeper (or an expired registration) asks about
        metadata.stubFor(post(urlEqualTo(REFERENCED)).atPriority(10).willReturn(json(200, "{\"referenced\": []}")));
    }

    static final String REFERENCED = "/internal/blobs/referenced";

    /** The catalog references this blob: any question that names it gets it back. */
    static void referenced(WireMockServer metadata, String blobKey) {
        metadata.stubFor(post(urlEqualTo(REFERENCED)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.blobKeys[?(@ == '" + blobKey + "')]"))
                .willReturn(json(200, "{\"referenced\": [\"" + blobKey + "\"]}")));
    }
}
