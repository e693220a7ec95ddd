package io.stowage.infra.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.infra.SharedInfra;
import java.util.Map;

/** Points a service's Kafka clients at the shared real KRaft broker. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedInfra.kafka().bootstrapServers());
    }

    @Override
    public void stop() {
        // shared across test classes; stops with the JVM
    }
}
