package io.stowage.signing.keys;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;

/** Writes key files the way an operator would hand them in: PEM, or a private JWK. */
public final class TestKeys {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private TestKeys() {
    }

    public static Path writeJwk(Path dir, SigningKey key) {
        String json;
        if (key.algorithm() == KeyAlgorithm.ES256) {
            ECPublicKey pub = (ECPublicKey) key.publicKey();
            json = """
                    {"kty":"EC","crv":"P-256","x":"%s","y":"%s","d":"%s"}"""
                    .formatted(b64(pub.getW().getAffineX()), b64(pub.getW().getAffineY()),
                            b64(((ECPrivateKey) key.privateKey()).getS()));
        } else {
            byte[] pkcs8 = key.privateKey().getEncoded();
            json = """
                    {"kty":"OKP","crv":"Ed25519","x":"%s","d":"%s"}"""
                    .formatted(B64URL.encodeToString(KeyFiles.rawEd25519(key.publicKey())),
                            B64URL.encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)));
        }
        Path file = dir.resolve(key.kid() + ".jwk");
        KeyFiles.writeSecret(file, json);
        return file;
    }

    private static String b64(BigInteger value) {
        return B64URL.encodeToString(SigningKey.fixed(value, 32));
    }
}
