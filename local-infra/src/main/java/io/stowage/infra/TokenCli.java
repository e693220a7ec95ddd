package io.stowage.infra;

import io.stowage.contract.Roles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Prints a fresh access token of the local issuer for any user, from the key kept in the data
 * directory: {@code TokenCli NAME [--admin] [--ttl SECONDS] [--data DIR] [--issuer URL]}.
 */
public final class TokenCli {

    private TokenCli() {
    }

    public static void main(String[] args) {
        List<String> list = Arrays.asList(args);
        if (list.contains("--dev-env")) {
            devEnv(args);
            return;
        }
        if (args.length == 0 || args[0].startsWith("--")) {
            System.err.println("usage: token NAME [--admin] [--ttl SECONDS]");
            System.exit(2);
        }
        Path data = Path.of(LocalInfra.option(args, "--data", ".stowage/data"));
        String issuerUrl = LocalInfra.option(args, "--issuer", "http://127.0.0.1:8090" + TokenIssuer.REALM_PATH);
        long ttl = Long.parseLong(LocalInfra.option(args, "--ttl", "3600"));
        Set<String> roles = list.contains("--admin") ? Set.of(Roles.STORAGE_ADMIN) : Set.of();
        TokenIssuer issuer = TokenIssuer.offline(data.resolve("issuer"), issuerUrl);
        System.out.println(issuer.mint(args[0], roles, Duration.ofSeconds(ttl)));
    }

    /**
     * The local run's ready-made tokens as {@code KEY=value} lines, valid for a day: an admin, alice and
     * bob, and a Supabase-style service key and anon key.
     */
    private static void devEnv(String[] args) {
        Path data = Path.of(LocalInfra.option(args, "--data", ".stowage/data"));
        String issuerUrl = LocalInfra.option(args, "--issuer", "http://127.0.0.1:8090" + TokenIssuer.REALM_PATH);
        TokenIssuer issuer = TokenIssuer.offline(data.resolve("issuer"), issuerUrl);
        Duration day = Duration.ofDays(1);
        System.out.println("STOWAGE_ADMIN_TOKEN=" + issuer.mint("admin", Set.of(Roles.STORAGE_ADMIN), day));
        System.out.println("STOWAGE_ALICE_TOKEN=" + issuer.mint("alice", Set.of(), day));
        System.out.println("STOWAGE_BOB_TOKEN=" + issuer.mint("bob", Set.of(), day));
        // Supabase-style project keys (the role claim alone), for clients such as storage-js
        System.out.println("STOWAGE_SERVICE_KEY=" + issuer.mintSupabaseStyle(null, Roles.SERVICE_ROLE, day));
        System.out.println("STOWAGE_ANON_KEY=" + issuer.mintSupabaseStyle(null, "anon", day));
    }
}
