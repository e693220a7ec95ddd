package io.stowage.signing.keys;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One key pair of the key ring, named by its {@code kid}.
 */
public record SigningKey(String kid, KeyAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    public SigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** The public half as a JWK (RFC 7517/8037), as published in the JWKS. */
    public Map<String, Object> publicJwk() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        switch (algorithm) {
            case ES256 -> {
                ECPublicKey ec = (ECPublicKey) publicKey;
                jwk.put("kty", "EC");
                jwk.put("crv", "P-256");
                jwk.put("x", B64URL.encodeToString(fixed(ec.getW().getAffineX(), 32)));
                jwk.put("y", B64URL.encodeToString(fixed(ec.getW().getAffineY(), 32)));
            }
            case EdDSA -> {
                jwk.put("kty", "OKP");
                jwk.put("crv", "Ed25519");
                jwk.put("x", B64URL.encodeToString(KeyFiles.rawEd25519(publicKey)));
            }
        }
        jwk.put("use", "sig");
        jwk.put("alg", algorithm.jwsName());
        jwk.put("kid", kid);
        return jwk;
    }

    /** A big-endian unsigned integer in exactly {@code length} bytes, as JWK coordinates are written. */
    static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == length) {
            return bytes;
        }
        if (bytes.length > length) {
            return Arrays.copyOfRange(bytes, bytes.length - length, bytes.length);
        }
        byte[] padded = new byte[length];
        System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
        return padded;
    }

    @Override
    public String toString() {
        // never print key material
        return "SigningKey[" + kid + ", " + algorithm + "]";
    }
}
