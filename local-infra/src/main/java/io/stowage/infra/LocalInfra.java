package io.stowage.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local run's infrastructure as one process: PostgreSQL, Kafka, S3 and the token issuer, with
 * their data under one directory so that it survives a restart. Writes the services' environment to
 * a file once everything answers, then runs until it is stopped (SIGINT/SIGTERM stop every server).
 *
 * <p>Usage: {@code LocalInfra --data DIR --env-file FILE [--pg-port N] [--kafka-port N] [--s3-port N] [--issuer-port N]}
 */
public final class LocalInfra {

    private LocalInfra() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(option(args, "--data", ".stowage/data")).toAbsolutePath();
        Path envFile = Path.of(option(args, "--env-file", ".stowage/infra.env")).toAbsolutePath();
        String topic = option(args, "--topic", InfraEnvironment.DEFAULT_TOPIC);
        Files.deleteIfExists(envFile);
        List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<AutoCloseable> reversed = new ArrayList<>(started);
            Collections.reverse(reversed);
            for (AutoCloseable server : reversed) {
                try {
                    server.close();
                } catch (Exception e) {
                    System.err.println("stopping " + server.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            stopped.countDown();
        }, "local-infra-stop"));

        TokenIssuer issuer = start(started, "token issuer",
                () -> TokenIssuer.start(intOption(args, "--issuer-port", 8090), data.resolve("issuer")));
        S3Server s3 = start(started, "S3",
                () -> S3Server.start(intOption(args, "--s3-port", 9000), data.resolve("s3"), S3Server.DEFAULT_BUCKET));
        PostgresServer pg = start(started, "PostgreSQL",
                () -> PostgresServer.start(intOption(args, "--pg-port", 5433), data.resolve("postgres")));
        KafkaBroker kafka = start(started, "Kafka",
                () -> KafkaBroker.start(intOption(args, "--kafka-port", 9092), data.resolve("kafka")));
        kafka.createTopic(topic, 3);

        Map<String, String> env = InfraEnvironment.of(pg, kafka, s3, issuer.issuer(), topic);
        StringBuilder lines = new StringBuilder();
        env.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        Files.createDirectories(envFile.getParent());
        Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
        Files.writeString(tmp, lines);
        Files.move(tmp, envFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("local-infra ready: " + envFile);
        System.out.flush();
        stopped.await();
    }

    private interface Starter<T> {
        T start() throws IOException;
    }

    private static <T extends AutoCloseable> T start(List<AutoCloseable> started, String what, Starter<T> starter)
            throws IOException {
        long t0 = System.nanoTime();
        T server = starter.start();
        started.add(server);
        System.out.printf("local-infra: %s up in %d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
        return server;
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static int intOption(String[] args, String name, int fallback) {
        return Integer.parseInt(option(args, name, Integer.toString(fallback)));
    }
}
