package io.stowage.signing.keys;

/** The asymmetric JWS algorithms a Stowage token may be signed with; both ship with the JDK. */
public enum KeyAlgorithm {
    /** ECDSA on P-256 with SHA-256; the JWS signature is the raw r||s (IEEE P1363), not DER. */
    ES256("SHA256withECDSAinP1363Format"),
    /** Ed25519. */
    EdDSA("Ed25519");

    private final String jcaSignature;

    KeyAlgorithm(String jcaSignature) {
        this.jcaSignature = jcaSignature;
    }

    /** The JCA name of the signature scheme. */
    public String jcaSignature() {
        return jcaSignature;
    }

    /** The JWS {@code alg} header value. */
    public String jwsName() {
        return name();
    }
}
