package io.stowage.infra.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.infra.S3Server;
import io.stowage.infra.SharedInfra;
import java.util.Map;

/** Points a service's S3 client at the shared real S3 server, with its physical bucket created. */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        S3Server s3 = SharedInfra.s3();
        return Map.of(
                "quarkus.s3.endpoint-override", s3.endpoint(),
                "quarkus.s3.path-style-access", "true",
                "quarkus.s3.aws.region", s3.region(),
                "quarkus.s3.aws.credentials.type", "static",
                "quarkus.s3.aws.credentials.static-provider.access-key-id", s3.accessKey(),
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", s3.secretKey(),
                "stowage.s3.bucket", s3.bucket());
    }

    @Override
    public void stop() {
        // shared across test classes; stops with the JVM
    }
}
