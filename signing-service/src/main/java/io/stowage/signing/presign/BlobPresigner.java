package io.stowage.signing.presign;

import io.stowage.signing.config.S3SigningConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Presigns SigV4 URLs for blobs in the physical bucket. Signing is a local HMAC computation: no
 * request leaves the service, so it is safe to run on the event loop.
 */
@ApplicationScoped
public class BlobPresigner {

    private final S3Presigner presigner;
    private final String bucket;

    public BlobPresigner(S3SigningConfig config) {
        this.bucket = config.bucket();
        this.presigner = S3Presigner.builder()
                .region(Region.of(config.region()))
                .endpointOverride(config.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.accessKey(), config.secretKey())))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(config.pathStyle())
                        .build())
                .build();
    }

    public PresignedUrl presign(PresignCommand command) {
        PresignedRequest presigned = switch (command.operation()) {
            case PUT_OBJECT -> presigner.presignPutObject(p -> p
                    .signatureDuration(command.expiresIn())
                    .putObjectRequest(put(command)));
            case GET_OBJECT -> presigner.presignGetObject(p -> p
                    .signatureDuration(command.expiresIn())
                    .getObjectRequest(get(command)));
            case UPLOAD_PART -> presigner.presignUploadPart(p -> p
                    .signatureDuration(command.expiresIn())
                    .uploadPartRequest(part(command)));
        };
        return new PresignedUrl(presigned.url().toString(), presigned.httpRequest().method().name(),
                headersToSend(presigned.signedHeaders()), presigned.expiration());
    }

    private PutObjectRequest put(PresignCommand command) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(command.key());
        // Each of these becomes a signed header, so S3 itself refuses a body of another size,
        // type or digest than the one this URL was asked for.
        if (command.contentType() != null) {
            put.contentType(command.contentType());
        }
        if (command.contentLength() != null) {
            put.contentLength(command.contentLength());
        }
        if (command.checksumSha256() != null) {
            put.checksumSHA256(command.checksumSha256());
        }
        return put.build();
    }

    private GetObjectRequest get(PresignCommand command) {
        GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket).key(command.key());
        if (command.responseContentType() != null) {
            get.responseContentType(command.responseContentType());
        }
        if (command.responseContentDisposition() != null) {
            get.responseContentDisposition(command.responseContentDisposition());
        }
        return get.build();
    }

    private UploadPartRequest part(PresignCommand command) {
        UploadPartRequest.Builder part = UploadPartRequest.builder().bucket(bucket).key(command.key())
                .uploadId(command.uploadId()).partNumber(command.partNumber());
        if (command.contentLength() != null) {
            part.contentLength(command.contentLength());
        }
        if (command.checksumSha256() != null) {
            part.checksumSHA256(command.checksumSha256());
        }
        return part.build();
    }

    /**
     * The signed headers minus {@code host}, which every HTTP client derives from the URL.
     * Header names are matched case-insensitively by S3, so they are given lower-case, as signed.
     */
    static Map<String, String> headersToSend(Map<String, List<String>> signed) {
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values));
            }
        });
        return headers;
    }

    @PreDestroy
    public void close() {
        presigner.close();
    }
}
