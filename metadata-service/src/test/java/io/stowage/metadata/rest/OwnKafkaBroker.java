package io.stowage.metadata.rest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.infra.KafkaBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real KRaft broker of the outage test's own, so that stopping it leaves the shared broker (and
 * other test classes) alone. It keeps its port and log directory across {@link #restart()}.
 */
public class OwnKafkaBroker implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker broker;
    private static Path logDir;
    private static int port;

    @Override
    public Map<String, String> start() {
        try {
            logDir = Files.createTempDirectory("metadata-outage-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = KafkaBroker.start(0, logDir);
        port = broker.port();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    static synchronized void stopBroker() {
        broker.close();
        broker = null;
    }

    static synchronized void restart() {
        broker = KafkaBroker.start(port, logDir);
    }

    static String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
