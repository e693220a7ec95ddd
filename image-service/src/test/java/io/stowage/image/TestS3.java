package io.stowage.image;

import io.stowage.infra.S3Server;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A plain S3 client on the tests' shared S3 server, for putting originals in place and looking at what landed. */
final class TestS3 {

    private TestS3() {
    }

    static S3Client client(S3Server server) {
        return S3Client.builder().endpointOverride(URI.create(server.endpoint())).region(Region.of(server.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
