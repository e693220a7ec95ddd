package io.stowage.signing.tokens;

import java.time.Instant;

/**
 * What a Stowage token says.
 *
 * @param versionId the object version it is bound to, or null for whatever version is current
 * @param upsert    upload tokens: whether the upload may overwrite an existing object; false otherwise
 * @param owner     upload tokens: the user the upload is made for (the object's owner), or null
 * @param kid       the key that signed it
 * @param id        the token's unique id ({@code jti})
 * @param transform image tokens: the rendition they grant (the render route's query), or null for any
 * @param contentType upload tokens: the media type the upload must have, or null for any the bucket allows
 * @param size      upload tokens: the exact number of bytes the upload must have, or null for any
 */
public record TokenClaims(TokenScope scope,
                          String bucket,
                          String name,
                          String versionId,
                          boolean upsert,
                          String owner,
                          Instant issuedAt,
                          Instant expiresAt,
                          String kid,
                          String id,
                          String transform,
                          String contentType,
                          Long size) {
}
