package io.stowage.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real PostgreSQL server (the zonky binaries), on loopback, trust authentication. */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL.
     *
     * @param port    the port, or 0 for a free one
     * @param dataDir where the cluster lives and survives restarts, or null for a throwaway cluster
     */
    public static PostgresServer start(int port, Path dataDir) {
        return start(port, dataDir, dataDir != null);
    }

    /**
     * Starts PostgreSQL; with {@code durable} false a kept cluster still survives a clean stop and
     * start (as fault tests do), only not a crash of the machine.
     */
    public static PostgresServer start(int port, Path dataDir, boolean durable) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(Ports.orFree(port))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setRegisterShutdownHook(true);
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            return new PostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The URL form the Vert.x reactive PostgreSQL client takes. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /**
     * Freezes the server and every backend it runs (SIGSTOP), as a hung database looks to its clients:
     * connections stay open and nothing answers. For fault tests; {@link #resume()} undoes it.
     */
    public void pause() {
        signal("STOP");
    }

    /** Lets a {@link #pause() paused} server run again (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        ProcessHandle postmaster = postmaster();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("kill", "-" + signal));
        command.add(String.valueOf(postmaster.pid()));
        postmaster.descendants().forEach(p -> command.add(String.valueOf(p.pid())));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's main process: the one started for it, or (when that was pg_ctl) the one serving its port. */
    private ProcessHandle postmaster() {
        ProcessHandle started = postgres.getProcess().toHandle();
        if (started.isAlive() && started.info().command().map(c -> c.endsWith("/postgres")).orElse(false)) {
            return started;
        }
        String port = "-p " + port();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && !c.contains("pg_ctl")
                        && (c.contains(port + " ") || c.endsWith(port))).orElse(false))
                .filter(p -> p.parent().map(parent -> !parent.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                        .orElse(true))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no postgres process serves port " + port()));
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
