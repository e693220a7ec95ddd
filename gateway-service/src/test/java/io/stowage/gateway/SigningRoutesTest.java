package io.stowage.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.OidcResource;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native signing routes refuse what they cannot sign before any service is asked (the stub records
 * every call that reaches an upstream), and take their paths ahead of the catalog's {@code /v1/files/{id}}.
 */
@QuarkusTest
@WithTestResource(OidcResource.class)
@WithTestResource(UpstreamStub.class)
class SigningRoutesTest {

    private static String alice() {
        return SharedInfra.issuer().mint("alice", Set.of());
    }

    private static void refusedBeforeAnyUpstream(String path, String body, int status, String code) {
        UpstreamStub.LAST.clear();
        given().auth().oauth2(alice()).contentType("application/json").body(body).post(path)
                .then().statusCode(status).body("statusCode", equalTo(status)).body("error", equalTo(code));
        assertEquals(Set.of(), UpstreamStub.LAST.keySet(), path + " " + body + " reached " + UpstreamStub.LAST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"expiresIn\":\"60\"}", "{\"expiresIn\":-1}", "{\"expiresIn\":0}", "{\"expiresIn\":604801}",
            "{\"expiresIn\":1.5}", "{\"expiresIn\":99999999999999999999}", "{\"expiresIn\":60,\"download\":5}",
            "{\"expiresIn\":60,\"download\":\"\"}", "[]", "not json"})
    void refusesAnExpiryOrDownloadOfTheWrongTypeOrRange(String body) {
        refusedBeforeAnyUpstream("/v1/files/abc/signed-url", body, 400, "InvalidRequest");
    }

    @Test
    void refusesAFileIdThatIsNotOne() {
        UpstreamStub.LAST.clear();
        given().urlEncodingEnabled(false).auth().oauth2(alice()).contentType("application/json").body("{\"expiresIn\":60}")
                .post("/v1/files/a%20b/signed-url").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        assertEquals(Set.of(), UpstreamStub.LAST.keySet());
    }

    @Test
    void refusesBatchesOfNoneOrMoreThanAThousandAndBodiesOfTheWrongShape() {
        String thousandAndOne = IntStream.range(0, 1001).mapToObj(i -> "\"id" + i + "\"").collect(Collectors.joining(","));
        refusedBeforeAnyUpstream("/v1/files/signed-urls", "{\"expiresIn\":60,\"ids\":[]}", 400, "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-urls", "{\"expiresIn\":60,\"ids\":[" + thousandAndOne + "]}", 400, "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-urls", "{\"expiresIn\":60,\"ids\":[1,2]}", 400, "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-urls", "{\"expiresIn\":60}", 400, "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-urls", "{\"expiresIn\":60,\"ids\":[\"a\"],\"bucket\":\"b\",\"names\":[\"x\"]}",
                400, "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-urls", "{\"expiresIn\":60,\"names\":[\"x\"]}", 400, "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-urls", "{\"expiresIn\":60,\"bucket\":\"..\",\"names\":[\"x\"]}", 400,
                "InvalidBucketName");
    }

    @Test
    void refusesAnUploadUrlForABadNameTypeOrSize() {
        refusedBeforeAnyUpstream("/v1/files/signed-upload-url", "{\"bucket\":\"b\",\"path\":\"a/../x\",\"expiresIn\":60}", 400,
                "InvalidObjectName");
        refusedBeforeAnyUpstream("/v1/files/signed-upload-url", "{\"bucket\":\"b\",\"path\":\"x\",\"expiresIn\":60,\"size\":-1}", 400,
                "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-upload-url", "{\"bucket\":\"b\",\"path\":\"x\",\"expiresIn\":60,\"size\":\"10\"}",
                400, "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-upload-url",
                "{\"bucket\":\"b\",\"path\":\"x\",\"expiresIn\":60,\"contentType\":\"not a type\"}", 400, "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-upload-url", "{\"bucket\":\"b\",\"path\":\"x\",\"expiresIn\":60,\"upsert\":\"yes\"}",
                400, "InvalidRequest");
        refusedBeforeAnyUpstream("/v1/files/signed-upload-url", "{\"path\":\"x\",\"expiresIn\":60}", 400, "InvalidRequest");
    }

    @Test
    void theSigningRoutesNeedASignedInCaller() {
        given().contentType("application/json").body("{\"expiresIn\":60}").post("/v1/files/abc/signed-url")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
        given().contentType("application/json").body("{\"expiresIn\":60,\"ids\":[\"a\"]}").post("/v1/files/signed-urls")
                .then().statusCode(401);
        given().get("/v1/files/abc/public-url").then().statusCode(401);
    }

    @Test
    void aSignedLinkWithoutATokenOrWithABadNameIsRefusedBeforeAnyUpstream() {
        UpstreamStub.LAST.clear();
        given().get("/v1/signed/photos/a.png").then().statusCode(400).body("message", containsString("token"));
        given().urlEncodingEnabled(false).get("/v1/signed/photos/a%00b?token=x").then().statusCode(400);
        given().body("bytes").put("/v1/signed/photos/a.png").then().statusCode(400);
        assertEquals(Set.of(), UpstreamStub.LAST.keySet());
    }

    @Test
    void aSignedLinkIsVerifiedBySigningServiceAsTheRouteScopeAndObject() {
        UpstreamStub.LAST.clear();
        // the stub answers 201 to the verification; what matters here is what was asked
        given().urlEncodingEnabled(false).get("/v1/signed/photos/cats/tom%20%2B%20jerry.png?token=abc");
        String asked = UpstreamStub.LAST.get("signing");
        assertEquals(true, asked.startsWith("POST /signing/v1/verify"), asked);
        assertEquals(true, asked.contains("\"scope\":\"download\"") && asked.contains("\"name\":\"cats/tom + jerry.png\"")
                && asked.contains("\"bucket\":\"photos\""), asked);
    }
}
