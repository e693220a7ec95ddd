package io.stowage.signing.rest;

import io.stowage.names.NameRules;
import io.stowage.names.RequestPaths;
import io.stowage.signing.config.SigningConfig;
import io.stowage.signing.error.SigningException;
import io.stowage.signing.images.ImageUrlSigner;
import io.stowage.signing.presign.BlobKeys;
import io.stowage.signing.presign.BlobPresigner;
import io.stowage.signing.presign.PresignCommand;
import io.stowage.signing.presign.PresignedUrl;
import io.stowage.signing.presign.SignOperation;
import io.stowage.signing.tokens.StowageTokens;
import io.stowage.signing.tokens.TokenScope;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Checks one sign request at the edge and hands it to the signer it names: S3 presigning,
 * Stowage tokens or image URL signatures. Every refusal is a {@link SigningException}, so that a
 * batch can report it per item.
 */
@ApplicationScoped
public class Signer {

    /** SigV4 presigned URLs cannot live longer than seven days; no signature here does either. */
    public static final Duration LONGEST_EXPIRY = Duration.ofDays(7);
    static final String OPERATIONS = "s3:GetObject, s3:PutObject, s3:UploadPart, stowage:download, stowage:upload, stowage:image, image:url";

    private static final Pattern MEDIA_TYPE =
            Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;[\\x20-\\x7e]*)?");
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int MAX_PART_NUMBER = 10_000;
    private static final int MAX_TRANSFORM_LENGTH = 512;
    private static final Pattern TRANSFORM =
            Pattern.compile("[a-z_]+=[A-Za-z0-9._~%-]*(&[a-z_]+=[A-Za-z0-9._~%-]*)*");

    private final BlobPresigner presigner;
    private final StowageTokens tokens;
    private final ImageUrlSigner images;
    private final Duration maxExpiry;
    private final Duration defaultExpiry;
    private final String imageUrlPrefix;

    public Signer(BlobPresigner presigner, StowageTokens tokens, ImageUrlSigner images, SigningConfig config) {
        this.presigner = presigner;
        this.tokens = tokens;
        this.images = images;
        if (config.maxExpiry().compareTo(Duration.ofSeconds(1)) < 0 || config.maxExpiry().compareTo(LONGEST_EXPIRY) > 0) {
            throw new IllegalStateException("stowage.signing.max-expiry must be between 1 second and 7 days");
        }
        this.maxExpiry = config.maxExpiry();
        this.defaultExpiry = config.defaultExpiry().compareTo(maxExpiry) > 0 ? maxExpiry : config.defaultExpiry();
        String prefix = config.imageUrlPrefix();
        this.imageUrlPrefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    public SignResponse sign(SignRequest request) {
        if (request == null) {
            throw new SigningException.InvalidRequest("a JSON body is required");
        }
        String operation = request.operation();
        if ("image:url".equals(operation)) {
            String path = ImageUrlSigner.normalize(request.path());
            String signature = images.sign(path);
            return new SignResponse(imageUrlPrefix + "/" + signature + "/" + path, "GET", null, null, null, signature);
        }
        var s3 = SignOperation.fromAction(operation);
        if (s3.isPresent()) {
            PresignedUrl url = presigner.presign(presignCommand(s3.get(), request));
            return SignResponse.presigned(url.url(), url.method(), url.headers(), url.expiresAt().toString());
        }
        if (operation != null && operation.startsWith("stowage:")) {
            var scope = TokenScope.parse(operation);
            if (scope.isPresent()) {
                return token(scope.get(), request);
            }
        }
        throw new SigningException.InvalidRequest("operation must be one of " + OPERATIONS + " (got '" + operation + "')");
    }

    private SignResponse token(TokenScope scope, SignRequest request) {
        String bucket = NameRules.requireBucket(request.bucket());
        String name = NameRules.requireObject(request.name());
        String versionId = ObjectNames.requireVersion(request.versionId());
        if (scope != TokenScope.UPLOAD && request.upsert() != null) {
            throw new SigningException.InvalidRequest("upsert applies to stowage:upload only");
        }
        if (scope != TokenScope.UPLOAD && request.owner() != null) {
            throw new SigningException.InvalidRequest("owner applies to stowage:upload only");
        }
        String owner = ObjectNames.requireOwner(request.owner());
        if (scope != TokenScope.IMAGE && request.transform() != null) {
            throw new SigningException.InvalidRequest("transform applies to stowage:image only");
        }
        String transform = transform(request.transform());
        if (scope != TokenScope.UPLOAD && (request.contentType() != null || request.contentLength() != null)) {
            throw new SigningException.InvalidRequest("contentType and contentLength apply to stowage:upload only among the tokens");
        }
        String contentType = mediaType("contentType", request.contentType());
        if (request.contentLength() != null && request.contentLength() < 0) {
            throw new SigningException.InvalidRequest("contentLength must not be negative");
        }
        StowageTokens.Issued issued = tokens.issue(scope, bucket, name, versionId,
                Boolean.TRUE.equals(request.upsert()), owner, transform, contentType, request.contentLength(),
                expiry(request.expiresIn()));
        String route = switch (scope) {
            case DOWNLOAD -> "/object/sign/";
            case UPLOAD -> "/object/upload/sign/";
            case IMAGE -> "/render/image/sign/";
        };
        String url = route + RequestPaths.encodeSegment(bucket) + "/" + RequestPaths.encodePath(name) + "?token=" + issued.token();
        return new SignResponse(url, scope == TokenScope.UPLOAD ? "PUT" : "GET", null,
                issued.claims().expiresAt().toString(), issued.token(), null);
    }

    private PresignCommand presignCommand(SignOperation operation, SignRequest request) {
        String key = BlobKeys.requireValid(request.key());
        Duration expiresIn = expiry(request.expiresIn());
        String contentType = mediaType("contentType", request.contentType());
        String responseContentType = mediaType("responseContentType", request.responseContentType());
        if (request.contentLength() != null && request.contentLength() < 0) {
            throw new SigningException.InvalidRequest("contentLength must not be negative");
        }
        String disposition = request.responseContentDisposition();
        if (disposition != null && disposition.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new SigningException.InvalidRequest("responseContentDisposition must not contain control characters");
        }
        String uploadId = null;
        Integer partNumber = null;
        if (operation == SignOperation.UPLOAD_PART) {
            uploadId = request.uploadId();
            if (uploadId == null || uploadId.isEmpty() || uploadId.length() > 1024
                    || uploadId.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
                throw new SigningException.InvalidRequest("s3:UploadPart needs the uploadId of an S3 multipart upload");
            }
            partNumber = request.partNumber();
            if (partNumber == null || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
                throw new SigningException.InvalidRequest("s3:UploadPart needs a partNumber between 1 and " + MAX_PART_NUMBER);
            }
            if (contentType != null) {
                throw new SigningException.InvalidRequest("a part has no content type; give it when the multipart upload is created");
            }
        }
        return new PresignCommand(operation, key, contentType, request.contentLength(),
                checksum(request.checksumSha256()), expiresIn, responseContentType, disposition, uploadId, partNumber);
    }

    /**
     * A rendition as the render route's query: {@code name=value} pairs joined by {@code &}, names of
     * letters and underscores, values percent-encoded URL characters. What the options mean is
     * image-service's to check when the link is used; here only that it is a plain query that fits
     * in a token.
     */
    static String transform(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_TRANSFORM_LENGTH || !TRANSFORM.matcher(value).matches()) {
            throw new SigningException.InvalidRequest("transform must be a render query such as 'width=200&height=200'"
                    + " (at most " + MAX_TRANSFORM_LENGTH + " characters)");
        }
        return value;
    }

    /** Seconds between 1 and the configured maximum; the default when absent. */
    Duration expiry(Long expiresIn) {
        if (expiresIn == null) {
            return defaultExpiry;
        }
        if (expiresIn < 1 || expiresIn > maxExpiry.toSeconds()) {
            throw new SigningException.InvalidRequest("expiresIn must be between 1 and " + maxExpiry.toSeconds() + " seconds");
        }
        return Duration.ofSeconds(expiresIn);
    }

    private static String mediaType(String field, String value) {
        if (value != null && !MEDIA_TYPE.matcher(value).matches()) {
            throw new SigningException.InvalidRequest(field + " is not a media type: '" + value + "'");
        }
        return value;
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
