package io.stowage.signing.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.stowage.signing.error.SigningException;
import io.stowage.signing.presign.BlobKeys;
import io.stowage.signing.presign.BlobPresigner;
import io.stowage.signing.presign.PresignCommand;
import io.stowage.signing.presign.PresignedUrl;
import io.stowage.signing.presign.SignOperation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

@Path("/v1/sign")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SignResource {

    static final long DEFAULT_EXPIRES_IN = 900;
    /** SigV4 presigned URLs cannot live longer than seven days. */
    static final long MAX_EXPIRES_IN = 604_800;

    private static final Pattern MEDIA_TYPE =
            Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;[\\x20-\\x7e]*)?");
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final BlobPresigner presigner;

    public SignResource(BlobPresigner presigner) {
        this.presigner = presigner;
    }

    @POST
    public Uni<SignResponse> sign(SignRequest request) {
        return Uni.createFrom().item(() -> {
            PresignedUrl url = presigner.presign(validate(request));
            return new SignResponse(url.url(), url.method(), url.headers(), url.expiresAt().toString());
        });
    }

    static PresignCommand validate(SignRequest request) {
        if (request == null) {
            throw new SigningException.InvalidRequest("a JSON body is required");
        }
        SignOperation operation = SignOperation.fromAction(request.operation());
        String key = BlobKeys.requireValid(request.key());
        long expiresIn = request.expiresIn() == null ? DEFAULT_EXPIRES_IN : request.expiresIn();
        if (expiresIn < 1 || expiresIn > MAX_EXPIRES_IN) {
            throw new SigningException.InvalidRequest("expiresIn must be between 1 and " + MAX_EXPIRES_IN + " seconds");
        }
        String contentType = request.contentType();
        if (contentType != null && !MEDIA_TYPE.matcher(contentType).matches()) {
            throw new SigningException.InvalidRequest("contentType is not a media type: '" + contentType + "'");
        }
        if (request.contentLength() != null && request.contentLength() < 0) {
            throw new SigningException.InvalidRequest("contentLength must not be negative");
        }
        String disposition = request.responseContentDisposition();
        if (disposition != null && disposition.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new SigningException.InvalidRequest("responseContentDisposition must not contain control characters");
        }
        return new PresignCommand(operation, key, contentType, request.contentLength(),
                checksum(request.checksumSha256()), Duration.ofSeconds(expiresIn), disposition);
    }

    /** S3 wants the digest in base64; hex is accepted too because that is what most tools print. */
    private static String checksum(String value) {
        if (value == null) {
            return null;
        }
        byte[] digest;
        if (HEX_SHA256.matcher(value).matches()) {
            digest = HexFormat.of().parseHex(value);
        } else {
            try {
                digest = Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                digest = null;
            }
        }
        if (digest == null || digest.length != 32) {
            throw new SigningException.InvalidRequest("checksumSha256 must be a SHA-256 digest in base64 or hex");
        }
        return Base64.getEncoder().encodeToString(digest);
    }
}
