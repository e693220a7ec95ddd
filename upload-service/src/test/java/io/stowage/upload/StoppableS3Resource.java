package io.stowage.upload;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stowage.infra.S3Server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real S3 server (S3Proxy, in memory) of the outage tests' own, on a port they control: stopped, the
 * port refuses connections (S3 down); hung, the port accepts connections and never answers (S3 paused);
 * restarted, a fresh S3Proxy answers on the same port again. The shared S3 server of the other test
 * classes is never touched.
 */
public class StoppableS3Resource implements QuarkusTestResourceLifecycleManager {

    private static final String BUCKET = "stowage-outage";
    private static volatile int port;
    private static volatile S3Server server;
    private static volatile ServerSocket hung;
    private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        server = S3Server.start(0, null, BUCKET);
        port = server.port();
        return Map.of(
                "quarkus.s3.endpoint-override", server.endpoint(),
                "quarkus.s3.path-style-access", "true",
                "quarkus.s3.aws.region", server.region(),
                "quarkus.s3.aws.credentials.type", "static",
                "quarkus.s3.aws.credentials.static-provider.access-key-id", server.accessKey(),
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", server.secretKey(),
                "stowage.s3.bucket", BUCKET);
    }

    /** S3 is down: nothing listens on its port any more. */
    static synchronized void stopS3() {
        if (server != null) {
            server.close();
            server = null;
        }
        releaseHung();
    }

    /** S3 is hung: its port accepts connections, reads nothing and answers nothing. */
    static synchronized void hangS3() throws IOException {
        stopS3();
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        hung = socket;
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    HELD.add(socket.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** S3 is back (empty, with its bucket) on the same port. */
    static synchronized void restartS3() {
        stopS3();
        server = S3Server.start(port, null, BUCKET);
    }

    /** A plain S3 client of the running server, to look at what landed. */
    static S3Server server() {
        return server;
    }

    private static void releaseHung() {
        if (hung != null) {
            try {
                hung.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            hung = null;
        }
        for (Socket s : HELD) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        HELD.clear();
    }

    @Override
    public void stop() {
        stopS3();
    }
}
