package io.stowage.signing.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes key files. A key file is named {@code {kid}.pem} or {@code {kid}.jwk}
 * (or {@code .json}):
 * <ul>
 *   <li>PEM: a {@code PRIVATE KEY} block (PKCS#8) and a {@code PUBLIC KEY} block (X.509), as
 *       {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem &&
 *       openssl pkey -in k.pem -pubout >> k.pem} writes them; P-256 (ES256) or Ed25519 (EdDSA).</li>
 *   <li>JWK: a private JWK, {@code kty} EC with {@code crv} P-256, {@code x}, {@code y}, {@code d},
 *       or {@code kty} OKP with {@code crv} Ed25519, {@code x}, {@code d}.</li>
 * </ul>
 */
public final class KeyFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** DER prefixes of Ed25519 keys (RFC 8410): the raw 32 bytes follow them. */
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] ED25519_PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private KeyFiles() {
    }

    /** True for the file names that hold keys; other files in a key directory are left alone. */
    public static boolean isKeyFile(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".pem") || name.endsWith(".jwk") || name.endsWith(".json"))
                && !name.startsWith(".") && Files.isRegularFile(file);
    }

    /** The kid of a key file: its name without the extension. */
    public static String kidOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    public static SigningKey read(Path file) {
        String kid = kidOf(file);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return file.getFileName().toString().endsWith(".pem") ? fromPem(kid, text) : fromJwk(kid, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("key file " + file + " holds no usable P-256 or Ed25519 key pair: " + e.getMessage(), e);
        }
    }

    static SigningKey fromPem(String kid, String text) throws GeneralSecurityException {
        byte[] privateDer = null;
        byte[] publicDer = null;
        Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            byte[] der = Base64.getMimeDecoder().decode(block.group(2).strip());
            switch (block.group(1)) {
                case "PRIVATE KEY" -> privateDer = der;
                case "PUBLIC KEY" -> publicDer = der;
                default -> throw new IllegalArgumentException("unexpected PEM block '" + block.group(1)
                        + "' (want PRIVATE KEY in PKCS#8 and PUBLIC KEY)");
            }
        }
        if (privateDer == null || publicDer == null) {
            throw new IllegalArgumentException("a PEM key file needs both a PRIVATE KEY and a PUBLIC KEY block");
        }
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            KeyFactory factory = factory(algorithm);
            PrivateKey privateKey;
            PublicKey publicKey;
            try {
                privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
                publicKey = factory.generatePublic(new X509EncodedKeySpec(publicDer));
            } catch (GeneralSecurityException notThisAlgorithm) {
                continue;
            }
            if (algorithm == KeyAlgorithm.ES256 && !isP256(((ECPrivateKey) privateKey).getParams())) {
                throw new IllegalArgumentException("EC keys must be on P-256 (secp256r1) for ES256");
            }
            return checked(new SigningKey(kid, algorithm, privateKey, publicKey));
        }
        throw new IllegalArgumentException("the PEM blocks are neither a P-256 nor an Ed25519 key");
    }

    static SigningKey fromJwk(String kid, String text) throws GeneralSecurityException {
        try {
            return fromJwk(kid, JSON.readTree(text));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
    }

    /**
     * The keys of a JWK Set of private JWKs, each with its {@code kid}: the form for handing keys
     * in as one environment value ({@code {"keys": [{"kid": "2026-01", "kty": "EC", ...}]}}).
     */
    public static List<SigningKey> readJwkSet(String json) {
        JsonNode set;
        try {
            set = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the key value is neither a directory nor a JWK Set (not JSON)");
        }
        JsonNode keys = set == null ? null : set.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalStateException("the JWK Set has no \"keys\" array");
        }
        List<SigningKey> result = new ArrayList<>();
        for (JsonNode jwk : keys) {
            String kid = jwk.path("kid").asText("");
            if (kid.isEmpty()) {
                throw new IllegalStateException("every JWK of the key value needs a kid");
            }
            try {
                result.add(fromJwk(kid, jwk));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalStateException("JWK " + kid + " holds no usable P-256 or Ed25519 key pair: " + e.getMessage(), e);
            }
        }
        return result;
    }

    static SigningKey fromJwk(String kid, JsonNode jwk) throws GeneralSecurityException {
        String kty = jwk.path("kty").asText();
        String crv = jwk.path("crv").asText();
        if (kty.equals("EC") && crv.equals("P-256")) {
            ECParameterSpec p256 = p256();
            KeyFactory factory = factory(KeyAlgorithm.ES256);
            PublicKey publicKey = factory.generatePublic(new ECPublicKeySpec(
                    new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y")), p256));
            PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(unsigned(jwk, "d"), p256));
            return checked(new SigningKey(kid, KeyAlgorithm.ES256, privateKey, publicKey));
        }
        if (kty.equals("OKP") && crv.equals("Ed25519")) {
            KeyFactory factory = factory(KeyAlgorithm.EdDSA);
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(concat(ED25519_X509_PREFIX, bytes(jwk, "x"))));
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(concat(ED25519_PKCS8_PREFIX, bytes(jwk, "d"))));
            return checked(new SigningKey(kid, KeyAlgorithm.EdDSA, privateKey, publicKey));
        }
        throw new IllegalArgumentException("unsupported JWK (want kty EC/crv P-256 or kty OKP/crv Ed25519)");
    }

    /** A fresh key pair. */
    public static SigningKey generate(String kid, KeyAlgorithm algorithm) {
        try {
            KeyPairGenerator generator;
            if (algorithm == KeyAlgorithm.ES256) {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator = KeyPairGenerator.getInstance("Ed25519");
            }
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(kid, algorithm, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + algorithm + " keys", e);
        }
    }

    /** Writes {@code {dir}/{kid}.pem} readable by its owner only. */
    public static Path writePem(Path dir, SigningKey key) {
        Path file = dir.resolve(key.kid() + ".pem");
        String pem = pem("PRIVATE KEY", key.privateKey().getEncoded()) + pem("PUBLIC KEY", key.publicKey().getEncoded());
        writeSecret(file, pem);
        return file;
    }

    /** Writes a file that only its owner may read (where the file system has POSIX permissions). */
    public static void writeSecret(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            try {
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createFile(partial);
            }
            Files.writeString(partial, content, StandardCharsets.UTF_8);
            // written whole, then moved, so a reader never sees half a key
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The raw 32 bytes of an Ed25519 public key. */
    static byte[] rawEd25519(PublicKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    /** Signs and verifies a probe, so that a private key that does not match its public key fails at start. */
    private static SigningKey checked(SigningKey key) throws GeneralSecurityException {
        byte[] probe = "stowage key check".getBytes(StandardCharsets.US_ASCII);
        java.security.Signature signer = java.security.Signature.getInstance(key.algorithm().jcaSignature());
        signer.initSign(key.privateKey());
        signer.update(probe);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(key.algorithm().jcaSignature());
        verifier.initVerify(key.publicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalArgumentException("the private and public keys do not belong together");
        }
        return key;
    }

    private static KeyFactory factory(KeyAlgorithm algorithm) throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm == KeyAlgorithm.ES256 ? "EC" : "Ed25519");
    }

    private static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    private static boolean isP256(ECParameterSpec spec) {
        try {
            ECParameterSpec p256 = p256();
            return spec.getCurve().equals(p256.getCurve()) && spec.getGenerator().equals(p256.getGenerator());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static BigInteger unsigned(JsonNode jwk, String field) {
        return new BigInteger(1, bytes(jwk, field));
    }

    private static byte[] bytes(JsonNode jwk, String field) {
        String value = jwk.path(field).asText(null);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the JWK has no '" + field + "'");
        }
        return Base64.getUrlDecoder().decode(value);
    }

    private static byte[] concat(byte[] prefix, byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("Ed25519 keys are 32 bytes");
        }
        byte[] der = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, der, prefix.length, raw.length);
        return der;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
