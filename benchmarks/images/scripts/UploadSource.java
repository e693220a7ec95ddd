import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;

/** Puts the benchmark's source in the physical bucket as a blob (run with local-infra's classpath). */
public class UploadSource {
    public static void main(String[] args) {
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(System.getenv("STOWAGE_S3_ENDPOINT")))
                .region(Region.of(System.getenv("STOWAGE_S3_REGION"))).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("STOWAGE_S3_ACCESS_KEY"), System.getenv("STOWAGE_S3_SECRET_KEY"))))
                .build()) {
            s3.putObject(b -> b.bucket(System.getenv("STOWAGE_S3_BUCKET")).key(args[1]).contentType("image/jpeg"),
                    RequestBody.fromFile(Path.of(args[0])));
        }
    }
}
