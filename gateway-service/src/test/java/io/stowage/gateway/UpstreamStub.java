package io.stowage.gateway;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A stand-in for the services behind the gateway that records what reached it and echoes it back. */
public class UpstreamStub implements QuarkusTestResourceLifecycleManager {

    /** The last request each upstream received, by its name. */
    public static final Map<String, String> LAST = new ConcurrentHashMap<>();
    /** Some headers of the last request each upstream received: cache control, user metadata, content type. */
    public static final Map<String, String> HEADERS = new ConcurrentHashMap<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : new String[] {"metadata", "upload", "signing", "image"}) {
            server.createContext("/" + name, exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String seen = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                        + " auth=" + (exchange.getRequestHeaders().getFirst("Authorization") != null)
                        + " rid=" + exchange.getRequestHeaders().getFirst("X-Request-Id")

                        + " body=" + new String(body, StandardCharsets.UTF_8);
                LAST.put(name, seen);
                HEADERS.put(name, "cache=" + exchange.getRequestHeaders().getFirst("Cache-Control")
                        + " meta=" + exchange.getRequestHeaders().getFirst("X-Stowage-Metadata")
                        + " type=" + exchange.getRequestHeaders().getFirst("Content-Type"));
                byte[] answer = ("{\"upstream\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(201, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
        }
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "stowage.gateway.metadata-url", base + "/metadata",
                "stowage.gateway.upload-url", base + "/upload",
                "stowage.gateway.signing-url", base + "/signing",
                "stowage.gateway.image-url", base + "/image");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
