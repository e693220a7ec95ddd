package io.stowage.signing.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.signing.error.SigningException;
import io.stowage.signing.keys.KeyAlgorithm;
import io.stowage.signing.keys.KeyFiles;
import io.stowage.signing.keys.KeyRing;
import io.stowage.signing.keys.SigningKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StowageTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SigningKey KEY = KeyFiles.generate("k1", KeyAlgorithm.ES256);
    private static final KeyRing RING = KeyRing.of(List.of(KEY), Optional.empty(), Set.of());
    private static final StowageTokens TOKENS = new StowageTokens(() -> RING, "stowage", Clock.systemUTC());

    @Test
    void carriesScopeObjectVersionExpiryAndUpsertUnderTheKid() throws Exception {
        StowageTokens.Issued issued = TOKENS.issue(TokenScope.UPLOAD, "photos", "cats/tom.png", "v7", true, Duration.ofMinutes(10));

        String[] parts = issued.token().split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("ES256", header.get("alg").asText());
        assertEquals("k1", header.get("kid").asText());
        assertEquals("upload", claims.get("scope").asText());
        assertEquals("photos", claims.get("bucket").asText());
        assertEquals("cats/tom.png", claims.get("name").asText());
        assertEquals("v7", claims.get("versionId").asText());
        assertTrue(claims.get("upsert").asBoolean());
        assertEquals(claims.get("iat").asLong() + 600, claims.get("exp").asLong());

        TokenClaims verified = TOKENS.verify(issued.token(), TokenScope.UPLOAD, "photos", "cats/tom.png", "v7");
        assertEquals(issued.claims(), verified);
    }

    @Test
    void anUploadTokenCarriesTheOwnerItWasMadeFor() throws Exception {
        StowageTokens.Issued issued = TOKENS.issue(TokenScope.UPLOAD, "photos", "a.png", null, false, "alice", Duration.ofMinutes(1));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(issued.token().split("\\.")[1]));
        assertEquals("alice", claims.get("owner").asText());
        assertEquals("alice", TOKENS.verify(issued.token(), TokenScope.UPLOAD, "photos", "a.png", null).owner());

        String anonymous = TOKENS.issue(TokenScope.UPLOAD, "photos", "a.png", null, false, Duration.ofMinutes(1)).token();
        assertFalse(JSON.readTree(Base64.getUrlDecoder().decode(anonymous.split("\\.")[1])).has("owner"));
        assertNull(TOKENS.verify(anonymous).owner());
        String download = TOKENS.issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, "alice", Duration.ofMinutes(1)).token();
        assertNull(TOKENS.verify(download).owner(), "only upload tokens name an owner");
    }

    @Test
    void refusesAnUploadTokenWhoseOwnerWasChanged() {
        String token = TOKENS.issue(TokenScope.UPLOAD, "photos", "a.png", null, false, "alice", Duration.ofMinutes(1)).token();
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String mallory = b64(claims.replace("\"alice\"", "\"mallory\""));
        assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(parts[0] + "." + mallory + "." + parts[2]));
        String ownerless = b64(claims.replace(",\"owner\":\"alice\"", ""));
        assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(parts[0] + "." + ownerless + "." + parts[2]));
    }

    @Test
    void onlyUploadTokensCarryUpsert() throws Exception {
        String token = TOKENS.issue(TokenScope.DOWNLOAD, "photos", "a.png", null, true, Duration.ofMinutes(1)).token();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertFalse(claims.has("upsert"));
        assertFalse(claims.has("versionId"));
        assertFalse(TOKENS.verify(token).upsert());
        assertNull(TOKENS.verify(token).versionId());
    }

    @Test
    void refusesATokenForAnotherScope() {
        String download = TOKENS.issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, Duration.ofMinutes(1)).token();
        String upload = TOKENS.issue(TokenScope.UPLOAD, "photos", "a.png", null, false, Duration.ofMinutes(1)).token();
        assertThrows(SigningException.WrongScope.class, () -> TOKENS.verify(download, TokenScope.UPLOAD, "photos", "a.png", null));
        assertThrows(SigningException.WrongScope.class, () -> TOKENS.verify(upload, TokenScope.DOWNLOAD, "photos", "a.png", null));
        assertThrows(SigningException.WrongScope.class, () -> TOKENS.verify(download, TokenScope.IMAGE, "photos", "a.png", null));
    }

    @Test
    void refusesATokenForAnotherObject() {
        String token = TOKENS.issue(TokenScope.DOWNLOAD, "photos", "a.png", "v1", false, Duration.ofMinutes(1)).token();
        assertThrows(SigningException.WrongObject.class, () -> TOKENS.verify(token, TokenScope.DOWNLOAD, "photos", "b.png", null));
        assertThrows(SigningException.WrongObject.class, () -> TOKENS.verify(token, TokenScope.DOWNLOAD, "docs", "a.png", null));
        assertThrows(SigningException.WrongObject.class, () -> TOKENS.verify(token, TokenScope.DOWNLOAD, "photos", "a.png/x", null));
        assertThrows(SigningException.WrongObject.class, () -> TOKENS.verify(token, TokenScope.DOWNLOAD, "photos", "a.png", "v2"));
        assertEquals("v1", TOKENS.verify(token, TokenScope.DOWNLOAD, "photos", "a.png", "v1").versionId());
    }

    @Test
    void refusesAnExpiredToken() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        String token = new StowageTokens(() -> RING, "stowage", past)
                .issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, Duration.ofHours(1)).token();
        assertThrows(SigningException.TokenExpired.class, () -> TOKENS.verify(token));
    }

    @Test
    void refusesTamperedTokens() {
        String token = TOKENS.issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, Duration.ofMinutes(1)).token();
        String[] parts = token.split("\\.");

        String otherClaims = b64("{\"iss\":\"stowage\",\"iat\":1,\"exp\":9999999999,\"scope\":\"download\",\"bucket\":\"photos\",\"name\":\"b.png\"}");
        assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(parts[0] + "." + otherClaims + "." + parts[2]));
        String upload = b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("download", "upload"));
        assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(parts[0] + "." + upload + "." + parts[2]));
        char last = parts[2].charAt(10);
        String flipped = parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A') + parts[2].substring(11);
        assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(parts[0] + "." + parts[1] + "." + flipped));
        String none = b64("{\"alg\":\"none\",\"kid\":\"k1\"}");
        assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(none + "." + parts[1] + "."));
        assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(token + "=="));
        for (String junk : new String[]{null, "", "a.b", "a.b.c.d", "....", "x".repeat(9000)}) {
            assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(junk));
        }
    }

    @Test
    void refusesATokenSignedByAnotherKeyUnderAKnownKid() {
        SigningKey impostor = KeyFiles.generate("k1", KeyAlgorithm.ES256);
        String forged = new StowageTokens(() -> KeyRing.of(List.of(impostor), Optional.empty(), Set.of()), "stowage", Clock.systemUTC())
                .issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, Duration.ofMinutes(1)).token();
        assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(forged));
    }

    @Test
    void refusesATokenOfAnotherIssuer() {
        String token = new StowageTokens(() -> RING, "someone-else", Clock.systemUTC())
                .issue(TokenScope.DOWNLOAD, "photos", "a.png", null, false, Duration.ofMinutes(1)).token();
        assertThrows(SigningException.InvalidToken.class, () -> TOKENS.verify(token));
    }

    @Test
    void edDsaTokensVerifyToo() {
        KeyRing ed = KeyRing.of(List.of(KeyFiles.generate("ed", KeyAlgorithm.EdDSA)), Optional.empty(), Set.of());
        StowageTokens tokens = new StowageTokens(() -> ed, "stowage", Clock.systemUTC());
        String token = tokens.issue(TokenScope.IMAGE, "photos", "a.png", null, false, Duration.ofMinutes(1)).token();
        assertEquals(TokenScope.IMAGE, tokens.verify(token, TokenScope.IMAGE, "photos", "a.png", null).scope());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
