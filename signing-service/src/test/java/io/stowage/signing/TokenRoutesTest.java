package io.stowage.signing;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.stowage.infra.SharedInfra;
import io.stowage.infra.quarkus.OidcResource;
import io.stowage.infra.quarkus.S3Resource;
import io.stowage.signing.tokens.TokenScope;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static io.stowage.signing.SignResourceTest.token;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stowage tokens, image URL signatures, the JWKS and who may call the service. */
@QuarkusTest
@WithTestResource(S3Resource.class)
@WithTestResource(OidcResource.class)
@WithTestResource(TestKeysResource.class)
class TokenRoutesTest {

    @Test
    void aDownloadTokenOpensItsObjectAndNothingElse() {
        JsonPath signed = SignResourceTest.sign(Map.of("operation", "stowage:download", "bucket", "photos",
                "name", "cats/café menu.png", "versionId", "v3", "expiresIn", 300));
        String token = signed.getString("token");
        assertEquals("/object/sign/photos/cats/caf%C3%A9%20menu.png?token=" + token, signed.getString("url"));
        assertEquals("GET", signed.getString("method"));
        assertTrue(Instant.parse(signed.getString("expiresAt")).isAfter(Instant.now()));

        verify(Map.of("token", token, "scope", "download", "bucket", "photos", "name", "cats/café menu.png"))
                .then().statusCode(200)
                .body("valid", equalTo(true))
                .body("scope", equalTo("download"))
                .body("versionId", equalTo("v3"))
                .body("kid", equalTo(TestKeysResource.CURRENT))
                .body("expiresAt", equalTo(signed.getString("expiresAt")))
                .body("upsert", nullValue());

        refused(Map.of("token", token, "scope", "upload", "bucket", "photos", "name", "cats/café menu.png"), 403, "WrongScope");
        refused(Map.of("token", token, "scope", "image", "bucket", "photos", "name", "cats/café menu.png"), 403, "WrongScope");
        refused(Map.of("token", token, "scope", "download", "bucket", "photos", "name", "cats/other.png"), 403, "WrongObject");
        refused(Map.of("token", token, "scope", "download", "bucket", "docs", "name", "cats/café menu.png"), 403, "WrongObject");
        refused(Map.of("token", token, "scope", "download", "bucket", "photos", "name", "cats/café menu.png",
                "versionId", "v4"), 403, "WrongObject");
    }

    @Test
    void anUploadTokenSaysWhetherItMayOverwrite() {
        JsonPath signed = SignResourceTest.sign(Map.of("operation", "stowage:upload", "bucket", "docs",
                "name", "report.pdf", "upsert", true));
        assertEquals("PUT", signed.getString("method"));
        assertTrue(signed.getString("url").startsWith("/object/upload/sign/docs/report.pdf?token="));

        verify(Map.of("token", signed.getString("token"), "scope", "upload", "bucket", "docs", "name", "report.pdf"))
                .then().statusCode(200).body("upsert", equalTo(true)).body("scope", equalTo("upload"));
        refused(Map.of("token", signed.getString("token"), "scope", "download", "bucket", "docs", "name", "report.pdf"), 403, "WrongScope");

        given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("operation", "stowage:download", "bucket", "docs", "name", "report.pdf", "upsert", true))
                .when().post("/v1/sign")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void anUploadTokenNamesTheUserItWasMadeFor() {
        JsonPath signed = SignResourceTest.sign(Map.of("operation", "stowage:upload", "bucket", "docs",
                "name", "for-alice.pdf", "owner", "alice"));
        Map<String, Object> ask = Map.of("token", signed.getString("token"), "scope", "upload", "bucket", "docs",
                "name", "for-alice.pdf");
        verify(ask).then().statusCode(200).body("owner", equalTo("alice")).body("upsert", equalTo(false));

        // in a batch too, next to an upload token made for nobody, which verifies without an owner
        JsonPath batch = given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("requests", List.of(
                        Map.of("operation", "stowage:upload", "bucket", "docs", "name", "b.pdf", "owner", "bob"),
                        Map.of("operation", "stowage:upload", "bucket", "docs", "name", "c.pdf"))))
                .when().post("/v1/sign/batch")
                .then().statusCode(200).extract().jsonPath();
        verify(Map.of("token", batch.getString("results[0].token"), "scope", "upload", "bucket", "docs", "name", "b.pdf"))
                .then().statusCode(200).body("owner", equalTo("bob"));
        Response ownerless = verify(Map.of("token", batch.getString("results[1].token"), "scope", "upload",
                "bucket", "docs", "name", "c.pdf"));
        ownerless.then().statusCode(200);
        assertTrue(!ownerless.jsonPath().getMap("$").containsKey("owner"));

        // the owner is signed: a token whose owner claim was rewritten is refused
        String tampered = tamper(signed.getString("token"), "\"alice\"", "\"mallory\"");
        refused(Map.of("token", tampered, "scope", "upload", "bucket", "docs", "name", "for-alice.pdf"), 401, "InvalidToken");
    }

    @Test
    void anUploadTokenBindsTheTypeAndLengthItWasSignedFor() {
        JsonPath signed = SignResourceTest.sign(Map.of("operation", "stowage:upload", "bucket", "docs", "name", "notes.txt",
                "contentType", "text/plain", "contentLength", 5));
        verify(Map.of("token", signed.getString("token"), "scope", "upload", "bucket", "docs", "name", "notes.txt"))
                .then().statusCode(200).body("contentType", equalTo("text/plain")).body("size", equalTo(5));
        // bound in the signature: a token whose size claim was rewritten is refused
        String tampered = tamper(signed.getString("token"), "\"size\":5", "\"size\":9");
        refused(Map.of("token", tampered, "scope", "upload", "bucket", "docs", "name", "notes.txt"), 401, "InvalidToken");
        // unbound: no claim, nothing answered
        Response free = verify(Map.of("token", SignResourceTest.sign(Map.of("operation", "stowage:upload", "bucket", "docs",
                "name", "any.txt")).getString("token"), "scope", "upload", "bucket", "docs", "name", "any.txt"));
        free.then().statusCode(200);
        assertTrue(!free.jsonPath().getMap("$").containsKey("contentType") && !free.jsonPath().getMap("$").containsKey("size"));
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("operation", "stowage:download", "bucket", "docs", "name", "a.txt", "contentType", "text/plain"),
                Map.of("operation", "stowage:image", "bucket", "docs", "name", "a.png", "contentLength", 5),
                Map.of("operation", "stowage:upload", "bucket", "docs", "name", "a.txt", "contentType", "not a type"),
                Map.of("operation", "stowage:upload", "bucket", "docs", "name", "a.txt", "contentLength", -1))) {
            given().auth().oauth2(token()).contentType(ContentType.JSON).body(bad)
                    .when().post("/v1/sign")
                    .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
    }

    @Test
    void refusesAnOwnerOnOtherTokensAndOneThatIsNotAUserId() {
        List<Map<String, Object>> bad = List.of(
                Map.of("operation", "stowage:download", "bucket", "docs", "name", "a.pdf", "owner", "alice"),
                Map.of("operation", "stowage:image", "bucket", "docs", "name", "a.png", "owner", "alice"),
                Map.of("operation", "stowage:upload", "bucket", "docs", "name", "a.pdf", "owner", "a".repeat(256)),
                Map.of("operation", "stowage:upload", "bucket", "docs", "name", "a.pdf", "owner", ""),
                Map.of("operation", "stowage:upload", "bucket", "docs", "name", "a.pdf", "owner", "ali\nce"));
        for (Map<String, Object> request : bad) {
            given().auth().oauth2(token()).contentType(ContentType.JSON).body(request)
                    .when().post("/v1/sign")
                    .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
        given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of("requests", bad))
                .when().post("/v1/sign/batch")
                .then().statusCode(200)
                .body("results.error.statusCode", equalTo(List.of(400, 400, 400, 400, 400)));
        SignResourceTest.sign(Map.of("operation", "stowage:upload", "bucket", "docs", "name", "a.pdf", "owner", "a".repeat(255)));
    }

    @Test
    void anImageTokenIsForImageRoutesOnly() {
        JsonPath signed = SignResourceTest.sign(Map.of("operation", "stowage:image", "bucket", "photos", "name", "a.png"));
        assertTrue(signed.getString("url").startsWith("/render/image/sign/photos/a.png?token="));
        verify(Map.of("token", signed.getString("token"), "scope", "image", "bucket", "photos", "name", "a.png"))
                .then().statusCode(200);
        refused(Map.of("token", signed.getString("token"), "scope", "download", "bucket", "photos", "name", "a.png"), 403, "WrongScope");
    }

    @Test
    void anImageTokenCarriesTheRenditionItGrantsSignedIn() {
        JsonPath signed = SignResourceTest.sign(Map.of("operation", "stowage:image", "bucket", "photos", "name", "a.png",
                "transform", "width=200&height=100&resize=contain&gravity=sowe&x_offset=0.25"));
        // the rendition is inside the token, not beside it in the URL
        assertTrue(signed.getString("url").matches("/render/image/sign/photos/a\\.png\\?token=[^&]+"), signed.getString("url"));
        verify(Map.of("token", signed.getString("token"), "scope", "image", "bucket", "photos", "name", "a.png"))
                .then().statusCode(200).body("transform", equalTo("width=200&height=100&resize=contain&gravity=sowe&x_offset=0.25"));

        // a token without one grants no particular rendition: no transform in the answer
        String plain = SignResourceTest.sign(Map.of("operation", "stowage:image", "bucket", "photos", "name", "a.png")).getString("token");
        Response any = verify(Map.of("token", plain, "scope", "image", "bucket", "photos", "name", "a.png"));
        any.then().statusCode(200);
        assertTrue(!any.jsonPath().getMap("$").containsKey("transform"));

        // rewriting the rendition breaks the signature
        String tampered = tamper(signed.getString("token"), "width=200", "width=2000");
        refused(Map.of("token", tampered, "scope", "image", "bucket", "photos", "name", "a.png"), 401, "InvalidToken");
    }

    @Test
    void refusesATransformOnOtherTokensAndOneThatIsNotARenderQuery() {
        List<Map<String, Object>> bad = List.of(
                Map.of("operation", "stowage:download", "bucket", "photos", "name", "a.png", "transform", "width=1"),
                Map.of("operation", "stowage:upload", "bucket", "photos", "name", "a.png", "transform", "width=1"),
                Map.of("operation", "stowage:image", "bucket", "photos", "name", "a.png", "transform", "width=1&token=x y"),
                Map.of("operation", "stowage:image", "bucket", "photos", "name", "a.png", "transform", "width"),
                Map.of("operation", "stowage:image", "bucket", "photos", "name", "a.png", "transform", "width=1\n"),
                Map.of("operation", "stowage:image", "bucket", "photos", "name", "a.png", "transform", "w=" + "1".repeat(600)));
        for (Map<String, Object> request : bad) {
            given().auth().oauth2(token()).contentType(ContentType.JSON).body(request)
                    .when().post("/v1/sign")
                    .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
        given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("operation", "stowage:image", "bucket", "photos", "name", "a.png", "transform", 200))
                .when().post("/v1/sign")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void refusesTamperedTokens() {
        String token = SignResourceTest.sign(Map.of("operation", "stowage:download", "bucket", "photos", "name", "a.png"))
                .getString("token");
        String tampered = tamper(token, "a.png", "b.png");

        refused(Map.of("token", tampered, "scope", "download", "bucket", "photos", "name", "b.png"), 401, "InvalidToken");
        refused(Map.of("token", "garbage", "scope", "download", "bucket", "photos", "name", "a.png"), 401, "InvalidToken");
        refused(Map.of("scope", "download", "bucket", "photos", "name", "a.png"), 401, "InvalidToken");
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        JsonPath signed = SignResourceTest.sign(Map.of("operation", "stowage:download", "bucket", "photos",
                "name", "a.png", "expiresIn", 1));
        Instant expiresAt = Instant.parse(signed.getString("expiresAt"));
        while (!Instant.now().isAfter(expiresAt)) {
            Thread.sleep(100);
        }
        refused(Map.of("token", signed.getString("token"), "scope", "download", "bucket", "photos", "name", "a.png"), 401, "TokenExpired");
    }

    @Test
    void tokensOfTheOldKeyStillVerifyAfterRotationButNotThoseOfTheRetiredKey() {
        String old = TestKeysResource.signingWith(TestKeysResource.OLD)
                .issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, Duration.ofMinutes(5)).token();
        String retired = TestKeysResource.signingWith(TestKeysResource.RETIRED)
                .issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, Duration.ofMinutes(5)).token();

        verify(Map.of("token", old, "scope", "download", "bucket", "photos", "name", "a.png"))
                .then().statusCode(200).body("kid", equalTo(TestKeysResource.OLD));
        Response response = verify(Map.of("token", retired, "scope", "download", "bucket", "photos", "name", "a.png"));
        response.then().statusCode(401).body("error", equalTo("InvalidToken"));
        assertTrue(response.jsonPath().getString("message").contains("retired"));
    }

    @Test
    void publishesTheActiveKeysWithoutAuthenticationAndWithCachingHeaders() throws Exception {
        Response jwks = given().when().get("/.well-known/jwks.json");
        jwks.then().statusCode(200)
                .header("Cache-Control", "public, max-age=300")
                .contentType("application/jwk-set+json");
        List<Map<String, Object>> keys = jwks.jsonPath().getList("keys");
        assertEquals(List.of(TestKeysResource.CURRENT, TestKeysResource.OLD), keys.stream().map(k -> k.get("kid")).toList());
        assertEquals("ES256", keys.get(0).get("alg"));
        assertEquals("EdDSA", keys.get(1).get("alg"));
        assertEquals("OKP", keys.get(1).get("kty"));
        keys.forEach(key -> assertTrue(!key.containsKey("d"), "no private part is ever published"));

        String etag = jwks.header("ETag");
        given().header("If-None-Match", etag).when().get("/.well-known/jwks.json")
                .then().statusCode(304).header("ETag", etag);

        // a verifier that holds only the JWKS can check a token by itself, as the gateway does
        String token = SignResourceTest.sign(Map.of("operation", "stowage:download", "bucket", "photos", "name", "a.png"))
                .getString("token");
        String[] parts = token.split("\\.");
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(ecPublicKey(keys.get(0)));
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])));
    }

    @Test
    void signsThumborImageUrlsWithTheSecretItKeeps() throws Exception {
        String path = "fit-in/300x200/filters:quality(80)/photos/cats/tom.png";
        JsonPath signed = SignResourceTest.sign(Map.of("operation", "image:url", "path", "/" + path));

        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TestKeysResource.IMAGE_SECRET, "HmacSHA1"));
        String expected = Base64.getUrlEncoder().encodeToString(mac.doFinal(path.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, signed.getString("signature"));
        assertEquals("/img/" + expected + "/" + path, signed.getString("url"));

        verify(Map.of("scope", "image:url", "signature", expected, "path", path))
                .then().statusCode(200).body("valid", equalTo(true)).body("path", equalTo(path));
        refused(Map.of("scope", "image:url", "signature", expected, "path", path.replace("300x200", "3000x2000")),
                403, "InvalidSignature");
        refused(Map.of("scope", "image:url", "signature", expected, "path", path.replace("tom", "jerry")),
                403, "InvalidSignature");
    }

    @Test
    void onlyStowageServicesMaySignOrVerify() {
        String user = SharedInfra.issuer().mint("alice", Set.of());
        String admin = SharedInfra.issuer().mint("root", Set.of("storage-admin", "service_role"));
        Map<String, Object> one = Map.of("operation", "stowage:download", "bucket", "photos", "name", "a.png");
        for (String caller : List.of(user, admin)) {
            given().auth().oauth2(caller).contentType(ContentType.JSON).body(one)
                    .when().post("/v1/sign")
                    .then().statusCode(403).body("statusCode", equalTo(403)).body("error", equalTo("Forbidden"));
            given().auth().oauth2(caller).contentType(ContentType.JSON).body(Map.of("requests", List.of(one)))
                    .when().post("/v1/sign/batch")
                    .then().statusCode(403).body("error", equalTo("Forbidden"));
            given().auth().oauth2(caller).contentType(ContentType.JSON)
                    .body(Map.of("token", "x", "scope", "download", "bucket", "photos", "name", "a.png"))
                    .when().post("/v1/verify")
                    .then().statusCode(403).body("error", equalTo("Forbidden"));
        }
        given().contentType(ContentType.JSON).body(Map.of("requests", List.of(one)))
                .when().post("/v1/sign/batch")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
        given().contentType(ContentType.JSON).body(Map.of("token", "x", "scope", "download", "bucket", "b", "name", "n"))
                .when().post("/v1/verify")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
        // any Stowage service's client-credentials token passes, not only upload-service's
        given().auth().oauth2(SharedInfra.issuer().mint("service-account-stowage-gateway", Set.of("stowage-service")))
                .contentType(ContentType.JSON).body(one)
                .when().post("/v1/sign")
                .then().statusCode(200);
    }

    @Test
    void refusesBadTokenRequests() {
        record Bad(Map<String, Object> request, String error) {
        }
        List<Bad> cases = List.of(
                new Bad(Map.of("operation", "stowage:download", "bucket", "photos"), "InvalidObjectName"),
                new Bad(Map.of("operation", "stowage:download", "name", "a.png"), "InvalidBucketName"),
                new Bad(Map.of("operation", "stowage:download", "bucket", "a/b", "name", "a.png"), "InvalidBucketName"),
                new Bad(Map.of("operation", "stowage:download", "bucket", "Photos", "name", "a.png"), "InvalidBucketName"),
                new Bad(Map.of("operation", "stowage:download", "bucket", "photos", "name", "../a.png"), "InvalidObjectName"),
                new Bad(Map.of("operation", "stowage:download", "bucket", "photos", "name", "/a.png"), "InvalidObjectName"),
                new Bad(Map.of("operation", "stowage:download", "bucket", "photos", "name", "a\u0000.png"), "InvalidObjectName"),
                new Bad(Map.of("operation", "stowage:download", "bucket", "photos", "name", "a\u0085.png"), "InvalidObjectName"),
                new Bad(Map.of("operation", "stowage:download", "bucket", "photos", "name", "a.png", "expiresIn", 0), "InvalidRequest"),
                new Bad(Map.of("operation", "stowage:download", "bucket", "photos", "name", "a.png", "expiresIn", 604801), "InvalidRequest"),
                new Bad(Map.of("operation", "stowage:delete", "bucket", "photos", "name", "a.png"), "InvalidRequest"),
                new Bad(Map.of("operation", "image:url", "path", "unsafe/300x200/a.png"), "InvalidRequest"),
                new Bad(Map.of("operation", "image:url"), "InvalidRequest"));
        for (Bad bad : cases) {
            given().auth().oauth2(token()).contentType(ContentType.JSON).body(bad.request())
                    .when().post("/v1/sign")
                    .then().statusCode(400).body("statusCode", equalTo(400)).body("error", equalTo(bad.error()));
        }
        // in a batch, each bad name is reported in its place with its code
        JsonPath batch = given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("requests", cases.stream().map(Bad::request).toList()))
                .when().post("/v1/sign/batch")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(cases.stream().map(Bad::error).toList(), batch.getList("results.error.error"));
        given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("token", "x", "scope", "delete", "bucket", "b", "name", "n"))
                .when().post("/v1/verify")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        // a lone surrogate, escaped in the JSON text, is not a name either
        given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body("{\"operation\":\"stowage:upload\",\"bucket\":\"photos\",\"name\":\"lone\\ud800\"}")
                .when().post("/v1/sign")
                .then().statusCode(400).body("error", equalTo("InvalidObjectName"));
        given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("token", "x", "scope", "download", "bucket", "b", "name", "a/../b"))
                .when().post("/v1/verify")
                .then().statusCode(400).body("error", equalTo("InvalidObjectName"));
    }

    private static Response verify(Map<String, Object> request) {
        return given().auth().oauth2(token()).contentType(ContentType.JSON).body(request).when().post("/v1/verify");
    }

    private static void refused(Map<String, Object> request, int status, String code) {
        verify(request).then().statusCode(status).body("statusCode", equalTo(status)).body("error", equalTo(code));
    }

    private static PublicKey ecPublicKey(Map<String, Object> jwk) throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECPoint point = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("x"))),
                new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("y"))));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
    }

    /** The token with its claims rewritten ({@code from} replaced by {@code to}) and its signature kept. */
    private static String tamper(String token, String from, String to) {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace(from, to);
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }
}
