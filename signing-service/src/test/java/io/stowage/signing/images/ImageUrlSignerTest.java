package io.stowage.signing.images;

import io.stowage.signing.error.SigningException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageUrlSignerTest {

    private static final ImageUrlSigner SIGNER =
            new ImageUrlSigner("MY_SECURE_KEY_0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII));

    /** Expected values computed with Python's hmac + base64.urlsafe_b64encode, i.e. libthumbor's scheme. */
    @Test
    void signsAsThumborDoes() {
        assertEquals("S_ESoyNFKHYeQlPdvxRlukh1Hp0=", SIGNER.sign("fit-in/300x200/filters:quality(80)/photos/cats/tom.png"));
        assertEquals("S_ESoyNFKHYeQlPdvxRlukh1Hp0=", SIGNER.sign("/fit-in/300x200/filters:quality(80)/photos/cats/tom.png"));
        assertEquals("Z575IvW23GUNaxCOMDBYzPH6ovY=", SIGNER.sign("fit-in/300x200/photos/café menu.png"));
    }

    @Test
    void acceptsItsOwnSignatureWithOrWithoutPadding() {
        assertDoesNotThrow(() -> SIGNER.verify("S_ESoyNFKHYeQlPdvxRlukh1Hp0=", "fit-in/300x200/filters:quality(80)/photos/cats/tom.png"));
        assertDoesNotThrow(() -> SIGNER.verify("S_ESoyNFKHYeQlPdvxRlukh1Hp0", "fit-in/300x200/filters:quality(80)/photos/cats/tom.png"));
    }

    @Test
    void refusesASignatureForAnotherSizeOrObject() {
        String signature = SIGNER.sign("300x200/photos/a.png");
        assertThrows(SigningException.InvalidSignature.class, () -> SIGNER.verify(signature, "3000x2000/photos/a.png"));
        assertThrows(SigningException.InvalidSignature.class, () -> SIGNER.verify(signature, "300x200/photos/b.png"));
        assertThrows(SigningException.InvalidSignature.class, () -> SIGNER.verify("not base64 !", "300x200/photos/a.png"));
        assertThrows(SigningException.InvalidSignature.class, () -> SIGNER.verify(null, "300x200/photos/a.png"));
        ImageUrlSigner otherSecret = new ImageUrlSigner("ANOTHER_SECRET_0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII));
        assertThrows(SigningException.InvalidSignature.class, () -> otherSecret.verify(signature, "300x200/photos/a.png"));
    }

    @Test
    void refusesPathsThatAreNotTheSignedPart() {
        for (String bad : new String[]{null, "", "/", "unsafe/300x200/a.png", "a\nb", "x".repeat(4097)}) {
            assertThrows(SigningException.InvalidRequest.class, () -> SIGNER.sign(bad), String.valueOf(bad));
        }
    }

    @Test
    void refusesAShortSecret() {
        assertThrows(IllegalStateException.class, () -> new ImageUrlSigner(new byte[31]));
    }
}
