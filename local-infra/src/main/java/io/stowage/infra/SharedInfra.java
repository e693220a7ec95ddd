package io.stowage.infra;

/**
 * The real servers shared by every test in one JVM: each starts on first use, on free ports with
 * throwaway storage, and stops when the JVM exits. Test classes reuse them instead of paying for a
 * start each.
 */
public final class SharedInfra {

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static S3Server s3;
    private static TokenIssuer issuer;

    private SharedInfra() {
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = onExit(PostgresServer.start(0, null));
        }
        return postgres;
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = onExit(KafkaBroker.start(0, null));
        }
        return kafka;
    }

    public static synchronized S3Server s3() {
        if (s3 == null) {
            s3 = onExit(S3Server.start(0, null, S3Server.DEFAULT_BUCKET));
        }
        return s3;
    }

    public static synchronized TokenIssuer issuer() {
        if (issuer == null) {
            issuer = onExit(TokenIssuer.start(0, null));
        }
        return issuer;
    }

    private static <T extends AutoCloseable> T onExit(T server) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // the JVM is going away; nothing is left to tell
            }
        }));
        return server;
    }
}
