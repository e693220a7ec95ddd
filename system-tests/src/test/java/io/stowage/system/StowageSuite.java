package io.stowage.system;

import io.stowage.infra.InfraEnvironment;
import io.stowage.infra.KafkaBroker;
import io.stowage.infra.Ports;
import io.stowage.infra.PostgresServer;
import io.stowage.infra.S3Server;
import io.stowage.infra.SharedInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform for black-box tests: real infrastructure in this JVM, and the five services as
 * separate processes started from their packaged {@code quarkus-app}, exactly as they run in the
 * local run. Started once per JVM, stopped when it exits.
 */
public final class StowageSuite {

    public static final List<String> SERVICES = List.of("metadata-service", "signing-service", "upload-service",
            "image-service", "gateway-service");

    private static StowageSuite running;

    private final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Each service's management interface (health, metrics), apart from its API port. */
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    /** How each service was started, to start it again ({@link #restart(String)}). */
    private final Map<String, ProcessBuilder> builders = new LinkedHashMap<>();
    private final Path logs;
    private final Identities identities;
    private final KafkaBroker kafka;
    private S3Server s3;
    private final Path s3Dir;
    private PostgresServer postgres;
    private final Path pgDir;
    private final String topic = InfraEnvironment.DEFAULT_TOPIC;
    /** Every span the services export: tracing is on in the system tests, as in production. */
    private final OtlpReceiver traces = new OtlpReceiver();

    private StowageSuite(Identities identities, KafkaBroker kafka, S3Server s3, Path s3Dir, PostgresServer pg, Path pgDir,
                         Path root) {
        this.identities = identities;
        this.kafka = kafka;
        this.s3 = s3;
        this.s3Dir = s3Dir;
        this.postgres = pg;
        this.pgDir = pgDir;
        kafka.createTopic(topic, 3);
        this.logs = root.resolve("system-tests/target/service-logs-" + identities.getClass().getSimpleName());
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String service : SERVICES) {
            ports.put(service, Ports.free());
            managementPorts.put(service, Ports.free());
        }
        Map<String, String> env = new LinkedHashMap<>(InfraEnvironment.of(pg, kafka, s3, identities.issuer(), topic));
        env.put("STOWAGE_METADATA_URL", url("metadata-service"));
        env.put("STOWAGE_SIGNING_URL", url("signing-service"));
        env.put("STOWAGE_UPLOAD_URL", url("upload-service"));
        env.put("STOWAGE_IMAGE_URL", url("image-service"));
        env.put("STOWAGE_TRACING_DISABLED", "false");
        // the sweepers look every few seconds, so that an expired upload is seen gone within a test
        env.put("STOWAGE_SWEEP_EVERY", "5s");
        // the reconciler runs only when a test asks (POST /v1/admin/reconcile), and judges blobs a few seconds old
        env.put("STOWAGE_RECONCILE_EVERY", "off");
        env.put("STOWAGE_RECONCILE_GRACE", "PT8S");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        // export within a moment instead of the default 5 s batches
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
        String java = ProcessHandle.current().info().command().orElse("java");
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        for (String service : SERVICES) {
            Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify builds them before this module)");
            }
            // the gateway streams every body: a small heap proves it never holds one whole
            String heap = service.equals("gateway-service") ? "-Xmx128m" : "-Xmx256m";
            ProcessBuilder builder = new ProcessBuilder(java, heap, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(service + ".log").toFile());
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(ports.get(service)));
            builder.environment().put("STOWAGE_MANAGEMENT_PORT", String.valueOf(managementPorts.get(service)));
            builders.put(service, builder);
            try {
                processes.add(builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + service, e);
            }
        }
        for (int i = 0; i < SERVICES.size(); i++) {
            awaitReady(SERVICES.get(i), processes.get(i), logs.resolve(SERVICES.get(i) + ".log"));
        }
    }

    /**
     * The running suite, started on first use. The system property {@code stowage.issuer} chooses the
     * token issuer: {@code local} (local-infra's, the default) or {@code keycloak} (a real Keycloak).
     */
    public static synchronized StowageSuite get() {
        if (running == null) {
            Path root = Path.of(System.getProperty("stowage.root", "..")).toAbsolutePath().normalize();
            Identities identities = switch (System.getProperty("stowage.issuer", "local")) {
                case "local" -> new LocalIdentities(SharedInfra.issuer());
                case "keycloak" -> keycloak(root);
                default -> throw new IllegalArgumentException("stowage.issuer must be local or keycloak");
            };
            // blobs on disk, as in the local run: large objects must not live in this JVM's heap
            Path s3Dir = root.resolve("system-tests/target/s3-" + System.nanoTime());
            S3Server s3 = S3Server.start(0, s3Dir, S3Server.DEFAULT_BUCKET);
            // the catalog's cluster in a directory of its own, so that a fault test can stop and start it
            Path pgDir = root.resolve("system-tests/target/pg-" + System.nanoTime());
            PostgresServer pg = PostgresServer.start(0, pgDir, false);
            running = new StowageSuite(identities, SharedInfra.kafka(), s3, s3Dir, pg, pgDir, root);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.s3.close();
                running.postgres.close();
            }));
        }
        return running;
    }

    private static Identities keycloak(Path root) {
        Path unpacked = root.resolve("system-tests/target/keycloak");
        try (var dirs = Files.list(unpacked)) {
            Path home = dirs.filter(d -> d.getFileName().toString().startsWith("keycloak-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Keycloak under " + unpacked));
            return new KeycloakIdentities(home, Files.createDirectories(root.resolve("system-tests/target")).resolve("keycloak.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak is not unpacked in " + unpacked, e);
        }
    }

    public String gatewayUrl() {
        return url("gateway-service");
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** The service's management interface: {@code /q/health}, {@code /q/metrics}. */
    public String managementUrl(String service) {
        return "http://127.0.0.1:" + managementPorts.get(service);
    }

    public Identities identities() {
        return identities;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public S3Server s3() {
        return s3;
    }

    public String topic() {
        return topic;
    }

    /** The catalog's PostgreSQL, for fault tests ({@link PostgresServer#pause()}). */
    public PostgresServer postgres() {
        return postgres;
    }

    /** Stops PostgreSQL: its port refuses connections until {@link #startPostgres()}. For fault tests. */
    public synchronized void stopPostgres() {
        postgres.close();
    }

    /** Starts PostgreSQL again on the same port over the same cluster. */
    public synchronized void startPostgres() {
        postgres = PostgresServer.start(postgres.port(), pgDir, false);
    }

    /** Stops the S3 server: its port refuses connections until {@link #startS3()}. For fault tests. */
    public synchronized void stopS3() {
        s3.close();
    }

    /** Starts the S3 server again on the same port over the same blobs. */
    public synchronized void startS3() {
        s3 = S3Server.start(s3.port(), s3Dir, S3Server.DEFAULT_BUCKET);
    }

    /** Freezes a service's process (SIGSTOP): it accepts connections and answers nothing. For fault tests. */
    public void pause(String service) {
        signal(service, "STOP");
    }

    /** Lets a {@link #pause(String) paused} service run again (SIGCONT). */
    public void resume(String service) {
        signal(service, "CONT");
    }

    /**
     * Stops a service (SIGTERM, as Kubernetes stops a pod) and starts it again on the same ports, waiting
     * until it is ready. Its log goes on in the same file.
     */
    public synchronized void restart(String service) {
        int index = SERVICES.indexOf(service);
        Process old = processes.get(index);
        old.destroy();
        try {
            if (!old.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                old.destroyForcibly().waitFor();
            }
            ProcessBuilder builder = builders.get(service)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(service + ".log").toFile()));
            Process started = builder.start();
            processes.set(index, started);
            awaitReady(service, started, logs.resolve(service + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart " + service, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The operating system's id of a service's process (to read its memory from /proc). */
    public long pid(String service) {
        return processes.get(SERVICES.indexOf(service)).pid();
    }

    private void signal(String service, String signal) {
        Process process = processes.get(SERVICES.indexOf(service));
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + service + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The spans the services have exported so far. */
    OtlpReceiver traces() {
        return traces;
    }

    private void awaitReady(String service, Process process, Path log) {
        if (Readiness.await(managementUrl(service) + "/q/health/ready", Duration.ofSeconds(120), process)) {
            return;
        }
        String tail;
        try {
            List<String> lines = Files.readAllLines(log);
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            tail = "(no log)";
        }
        throw new IllegalStateException(service + " did not become ready; its log ends with:\n" + tail);
    }

    private void stop() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
