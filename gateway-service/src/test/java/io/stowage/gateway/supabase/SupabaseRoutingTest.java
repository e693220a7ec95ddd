package io.stowage.gateway.supabase;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.gateway.UpstreamStub;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.OidcResource;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each Supabase route reaches the catalog route it stands for; a path that is no route reaches nothing. */
@QuarkusTest
@WithTestResource(OidcResource.class)
@WithTestResource(UpstreamStub.class)
class SupabaseRoutingTest {

    private static String alice() {
        return SharedInfra.issuer().mint("alice", Set.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET    | /storage/v1/bucket/photos                      |                                  | GET /metadata/v1/buckets/photos",
            "PUT    | /storage/v1/bucket/photos                      | {\"public\":true}                 | PATCH /metadata/v1/buckets/photos",
            "DELETE | /storage/v1/object/photos/caf%C3%A9/a%20b.txt  |                                  | DELETE /metadata/v1/files/by-path/photos/caf%C3%A9/a%20b.txt",
            "DELETE | /storage/v1/object/photos                      | {\"prefixes\":[\"a\"]}             | POST /metadata/v1/files/delete",
            "GET    | /storage/v1/object/info/photos/x.txt           |                                  | GET /metadata/internal/objects/by-path/photos/x.txt",
            "GET    | /storage/v1/object/info/public/photos/x.txt    |                                  | GET /metadata/v1/files/by-path/photos/x.txt",
            "POST   | /storage/v1/object/list/photos                 | {}                               | GET /metadata/v1/files",
            "POST   | /storage/v1/object/list-v2/photos              | {}                               | GET /metadata/v1/files",
            "POST   | /storage/v1/object/move                        | {\"bucketId\":\"photos\",\"sourceKey\":\"a\",\"destinationKey\":\"b\"} | POST /metadata/v1/files/move",
            "DELETE | /storage/v1/cdn/photos/x.txt                   |                                  | POST /metadata/internal/purges"
    })
    void routesEachSupabaseCallToTheCatalogRouteItStandsFor(String method, String path, String body, String seen) {
        UpstreamStub.LAST.clear();
        var request = given().urlEncodingEnabled(false).auth().oauth2(alice());
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        request.request(method, path).then().statusCode(200);
        String metadata = UpstreamStub.LAST.get("metadata");
        assertEquals(seen, metadata.substring(0, metadata.indexOf(" auth=")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // a route's own word is never taken for a bucket
            "GET    | /storage/v1/object/sign/x.txt           | 404",
            "GET    | /storage/v1/object/list/photos          | 404",
            "GET    | /storage/v1/object/info/public/x.txt    | 404",
            "GET    | /storage/v1/object/photos               | 404",
            "POST   | /storage/v1/bucket/photos               | 404",
            // the names of a path under a bucket are checked whatever the method
            "PATCH  | /storage/v1/object/Not_A_Bucket/x.txt   | 400",
            "GET    | /storage/v1/object/sign/photos/x.txt    | 400"
    })
    void answersPathsNoRouteTakesWithoutCallingAnyService(String method, String path, String statusCode) {
        UpstreamStub.LAST.clear();
        given().urlEncodingEnabled(false).auth().oauth2(alice()).request(method, path)
                .then().statusCode(400).body("statusCode", equalTo(statusCode));
        assertEquals(Map.of(), UpstreamStub.LAST, "no service was called");
    }

    @ParameterizedTest
    @CsvSource({"/storage/v1/status", "/storage/v1/status/"})
    void answersStatusWithoutAToken(String path) {
        given().get(path).then().statusCode(200);
    }
}
