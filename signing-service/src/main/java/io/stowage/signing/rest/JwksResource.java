package io.stowage.signing.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.signing.config.SigningConfig;
import io.stowage.signing.keys.SigningKeys;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Arrays;

/**
 * The public keys of every active signing key, for the gateway and image-service to verify tokens
 * locally. Public: it holds nothing secret. Cacheable for a while; verifiers refetch it when they
 * meet a kid they do not know, which is how a new key reaches them.
 */
@Path("/.well-known/jwks.json")
@PermitAll
public class JwksResource {

    private final byte[] body;
    private final String etag;
    private final String cacheControl;

    public JwksResource(SigningKeys keys, SigningConfig config, ObjectMapper json) throws JsonProcessingException, NoSuchAlgorithmException {
        this.body = json.writeValueAsBytes(keys.ring().jwks());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
        this.etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
        this.cacheControl = "public, max-age=" + config.jwksMaxAge().toSeconds();
    }

    @GET
    public Response jwks(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        if (ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(tag -> tag.equals(etag) || tag.equals("W/" + etag) || tag.equals("*"))) {
            return Response.notModified().header(HttpHeaders.ETAG, etag)
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
        }
        return Response.ok(new String(body, StandardCharsets.UTF_8), "application/jwk-set+json")
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .build();
    }
}
