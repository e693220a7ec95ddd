package io.stowage.signing.keys;

import io.stowage.signing.error.SigningException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The keys signing-service holds: one current key signs, every other active key only verifies,
 * and retired keys verify nothing. Keys rotate by adding a key (it becomes current when its kid
 * sorts last, or when named by configuration) and later retiring the old one, so that tokens
 * already handed out stay valid until their key is retired. Immutable.
 */
public final class KeyRing {

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final SigningKey current;
    private final Map<String, SigningKey> active;
    private final Set<String> retired;

    private KeyRing(SigningKey current, Map<String, SigningKey> active, Set<String> retired) {
        this.current = current;
        this.active = active;
        this.retired = retired;
    }

    /**
     * @param currentKid the kid that signs; without one, the active kid that sorts last
     * @param retired    kids whose tokens are refused; they are not published either
     */
    public static KeyRing of(Collection<SigningKey> keys, Optional<String> currentKid, Set<String> retired) {
        Map<String, SigningKey> active = new TreeMap<>();
        for (SigningKey key : keys) {
            if (!KID.matcher(key.kid()).matches()) {
                throw new IllegalStateException("key id '" + key.kid() + "' must be 1-64 of A-Z a-z 0-9 . _ -");
            }
            if (!retired.contains(key.kid()) && active.put(key.kid(), key) != null) {
                throw new IllegalStateException("two keys have the id '" + key.kid() + "'");
            }
        }
        if (active.isEmpty()) {
            throw new IllegalStateException("no active signing key (every key is retired, or there is none)");
        }
        SigningKey current;
        if (currentKid.isPresent()) {
            current = active.get(currentKid.get());
            if (current == null) {
                throw new IllegalStateException("the current key '" + currentKid.get() + "' is "
                        + (retired.contains(currentKid.get()) ? "retired" : "not among the keys"));
            }
        } else {
            current = active.values().stream().max(Comparator.comparing(SigningKey::kid)).orElseThrow();
        }
        return new KeyRing(current, Map.copyOf(active), Set.copyOf(retired));
    }

    /** Reads every key file of {@code dir} (see {@link KeyFiles}). */
    public static KeyRing load(Path dir, Optional<String> currentKid, Set<String> retired) {
        return of(readAll(dir), currentKid, retired);
    }

    /** The key files of a directory, in kid order; an absent directory has none. */
    public static List<SigningKey> readAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(KeyFiles::isKeyFile).sorted().map(KeyFiles::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the key directory " + dir, e);
        }
    }

    /** The key new tokens are signed with. */
    public SigningKey current() {
        return current;
    }

    /** The key that verifies tokens of {@code kid}: refused when it is retired or unknown. */
    public SigningKey verifier(String kid) {
        if (kid != null && retired.contains(kid)) {
            throw new SigningException.InvalidToken("the token was signed with a retired key");
        }
        SigningKey key = kid == null ? null : active.get(kid);
        if (key == null) {
            throw new SigningException.InvalidToken("the token was signed with an unknown key");
        }
        return key;
    }

    /** Every active kid, in order. */
    public Set<String> activeKids() {
        return new java.util.TreeSet<>(active.keySet());
    }

    /** The JWKS document: the public half of every active key, current first. */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> keys = Stream.concat(Stream.of(current),
                        active.values().stream().filter(k -> k != current).sorted(Comparator.comparing(SigningKey::kid)))
                .map(SigningKey::publicJwk)
                .toList();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("keys", keys);
        return document;
    }
}
