package io.stowage.signing.images;

import io.stowage.signing.keys.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's {@link ImageUrlSigner}, with the image URL secret loaded at start. */
@ApplicationScoped
class ImageUrlSignerProducer {

    @Produces
    @Singleton
    ImageUrlSigner imageUrls(SigningKeys keys) {
        return new ImageUrlSigner(keys.imageSecret());
    }
}
