package io.stowage.signing.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.signing.error.SigningException;
import io.stowage.signing.keys.KeyRing;
import io.stowage.signing.keys.SigningKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Stowage tokens: compact JWS (JWT) signed with the key ring's current key, {@code kid} in the
 * header. Claims: {@code iss}, {@code iat}, {@code exp}, {@code jti}, {@code scope}
 * (download|upload|image), {@code bucket}, {@code name}, {@code versionId} when bound to a version,
 * {@code upsert} on upload tokens, {@code owner} on upload tokens made for a user,
 * {@code transform} on image tokens bound to one rendition, {@code contentType} and {@code size} on upload
 * tokens bound to the type and length of what may be uploaded. Anyone holding the JWKS can verify them; only this service can
 * mint them.
 */
public final class StowageTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    /** Tokens ride in URLs; anything longer than this is not one of ours. */
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final Supplier<KeyRing> keys;
    private final String issuer;
    private final Clock clock;

    public StowageTokens(Supplier<KeyRing> keys, String issuer, Clock clock) {
        this.keys = Objects.requireNonNull(keys);
        this.issuer = Objects.requireNonNull(issuer);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A signed token and what it says. */
    public record Issued(String token, TokenClaims claims) {
    }

    public Issued issue(TokenScope scope, String bucket, String name, String versionId, boolean upsert, Duration ttl) {
        return issue(scope, bucket, name, versionId, upsert, null, ttl);
    }

    /**
     * @param owner upload tokens only: the user the upload is made for, signed in as the claim
     *              {@code owner} so that whoever redeems the token cannot choose another; ignored
     *              for other scopes
     */
    public Issued issue(TokenScope scope, String bucket, String name, String versionId, boolean upsert, String owner,
                        Duration ttl) {
        return issue(scope, bucket, name, versionId, upsert, owner, null, ttl);
    }

    /**
     * @param transform image tokens only: the rendition the token grants (the render route's query),
     *                  signed in as the claim {@code transform}; ignored for other scopes
     */
    public Issued issue(TokenScope scope, String bucket, String name, String versionId, boolean upsert, String owner,
                        String transform, Duration ttl) {
        return issue(scope, bucket, name, versionId, upsert, owner, transform, null, null, ttl);
    }

    /**
     * @param contentType upload tokens only: the media type the upload must have, signed in as the claim
     *                    {@code contentType}; ignored for other scopes
     * @param size        upload tokens only: the exact length in bytes the upload must have, signed in as the
     *                    claim {@code size}; ignored for other scopes
     */
    public Issued issue(TokenScope scope, String bucket, String name, String versionId, boolean upsert, String owner,
                        String transform, String contentType, Long size, Duration ttl) {
        String tokenContentType = scope == TokenScope.UPLOAD ? contentType : null;
        Long tokenSize = scope == TokenScope.UPLOAD ? size : null;
        String tokenTransform = scope == TokenScope.IMAGE ? transform : null;
        String tokenOwner = scope == TokenScope.UPLOAD ? owner : null;
        SigningKey key = keys.get().current();
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant expiresAt = now.plus(ttl);
        String id = UUID.randomUUID().toString();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", id);
        claims.put("scope", scope.claim());
        claims.put("bucket", bucket);
        claims.put("name", name);
        if (versionId != null) {
            claims.put("versionId", versionId);
        }
        if (scope == TokenScope.UPLOAD) {
            claims.put("upsert", upsert);
        }
        if (tokenOwner != null) {
            claims.put("owner", tokenOwner);
        }
        if (tokenTransform != null) {
            claims.put("transform", tokenTransform);
        }
        if (tokenContentType != null) {
            claims.put("contentType", tokenContentType);
        }
        if (tokenSize != null) {
            claims.put("size", tokenSize);
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", key.algorithm().jwsName());
        header.put("typ", "JWT");
        header.put("kid", key.kid());
        try {
            String signingInput = B64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signer = Signature.getInstance(key.algorithm().jcaSignature());
            signer.initSign(key.privateKey());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String token = signingInput + "." + B64URL.encodeToString(signer.sign());
            return new Issued(token, new TokenClaims(scope, bucket, name, versionId, scope == TokenScope.UPLOAD && upsert,
                    tokenOwner, now, expiresAt, key.kid(), id, tokenTransform, tokenContentType, tokenSize));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a token with key " + key.kid(), e);
        }
    }

    /**
     * Checks the signature, the key, the issuer and the expiry, then that the token grants
     * {@code scope} on exactly {@code bucket}/{@code name} (and {@code versionId} when asked).
     */
    public TokenClaims verify(String token, TokenScope scope, String bucket, String name, String versionId) {
        TokenClaims claims = verify(token);
        if (claims.scope() != scope) {
            throw new SigningException.WrongScope("the token grants " + claims.scope().claim() + ", not " + scope.claim());
        }
        if (!claims.bucket().equals(bucket) || !claims.name().equals(name)) {
            throw new SigningException.WrongObject("the token is for another object");
        }
        if (versionId != null && claims.versionId() != null && !claims.versionId().equals(versionId)) {
            throw new SigningException.WrongObject("the token is for another version of the object");
        }
        return claims;
    }

    /** Checks the signature, the key, the issuer and the expiry; returns what the token says. */
    public TokenClaims verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new SigningException.InvalidToken("not a Stowage token");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new SigningException.InvalidToken("not a Stowage token");
        }
        JsonNode header = json(token.substring(0, first));
        SigningKey key = keys.get().verifier(text(header, "kid"));
        if (!key.algorithm().jwsName().equals(text(header, "alg"))) {
            throw new SigningException.InvalidToken("the token's algorithm does not match its key");
        }
        byte[] signature = decode(token.substring(second + 1));
        try {
            Signature verifier = Signature.getInstance(key.algorithm().jcaSignature());
            verifier.initVerify(key.publicKey());
            verifier.update(token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(signature)) {
                throw new SigningException.InvalidToken("the token's signature is not valid");
            }
        } catch (java.security.SignatureException e) {
            throw new SigningException.InvalidToken("the token's signature is not valid");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify with key " + key.kid(), e);
        }

        JsonNode claims = json(token.substring(first + 1, second));
        if (!issuer.equals(text(claims, "iss"))) {
            throw new SigningException.InvalidToken("the token was not issued by Stowage");
        }
        JsonNode exp = claims.get("exp");
        JsonNode iat = claims.get("iat");
        if (exp == null || !exp.canConvertToLong() || iat == null || !iat.canConvertToLong()) {
            throw new SigningException.InvalidToken("the token has no expiry");
        }
        Instant expiresAt = Instant.ofEpochSecond(exp.asLong());
        if (!clock.instant().isBefore(expiresAt)) {
            throw new SigningException.TokenExpired("the token expired at " + expiresAt);
        }
        TokenScope scope = TokenScope.parse(text(claims, "scope"))
                .orElseThrow(() -> new SigningException.InvalidToken("the token has no known scope"));
        String bucket = text(claims, "bucket");
        String name = text(claims, "name");
        if (bucket == null || name == null) {
            throw new SigningException.InvalidToken("the token names no object");
        }
        boolean upload = scope == TokenScope.UPLOAD;
        JsonNode size = claims.get("size");
        return new TokenClaims(scope, bucket, name, text(claims, "versionId"),
                claims.path("upsert").asBoolean(false), text(claims, "owner"), Instant.ofEpochSecond(iat.asLong()), expiresAt,
                key.kid(), text(claims, "jti"), scope == TokenScope.IMAGE ? text(claims, "transform") : null,
                upload ? text(claims, "contentType") : null,
                upload && size != null && size.canConvertToLong() ? size.asLong() : null);
    }

    private static JsonNode json(String part) {
        try {
            JsonNode node = JSON.readTree(decode(part));
            if (node == null || !node.isObject()) {
                throw new SigningException.InvalidToken("not a Stowage token");
            }
            return node;
        } catch (IOException e) {
            throw new SigningException.InvalidToken("not a Stowage token");
        }
    }

    private static byte[] decode(String part) {
        // JWS uses unpadded base64url; padding would let two strings carry the same token
        if (part.isEmpty() || part.indexOf('=') >= 0) {
            throw new SigningException.InvalidToken("not a Stowage token");
        }
        try {
            return B64URL_DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw new SigningException.InvalidToken("not a Stowage token");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
