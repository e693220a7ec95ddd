package io.stowage.gateway;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.infra.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/** Upstreams in trouble: metadata-service is down (nothing listens), upload-service never answers. */
public class TroubledUpstreams implements QuarkusTestResourceLifecycleManager {

    private HttpServer silent;

    @Override
    public Map<String, String> start() {
        try {
            silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        silent.createContext("/", exchange -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        silent.start();
        String down = "http://127.0.0.1:" + Ports.free();
        return Map.of(
                "stowage.gateway.metadata-url", down,
                "stowage.gateway.signing-url", down,
                "stowage.gateway.image-url", down,
                "stowage.gateway.upload-url", "http://127.0.0.1:" + silent.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (silent != null) {
            silent.stop(0);
        }
    }
}
