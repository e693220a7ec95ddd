package io.stowage.image.vips;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The one libvips binding of the service, loaded at start so a missing library fails fast. */
@Startup
@ApplicationScoped
public class VipsEngine {

    private static final Logger LOG = Logger.getLogger(VipsEngine.class);

    private final Vips vips;

    public VipsEngine(@ConfigProperty(name = "stowage.image.vips-library") String library) {
        this.vips = Vips.load(library);
        LOG.infof("libvips %s loaded", vips.version());
    }

    public Vips vips() {
        return vips;
    }
}
