package io.stowage.image;

import io.stowage.infra.SourceStructure;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shape of the main code, by local-infra's one check: packages without cycles, no class over 450 lines. */
class PackageStructureTest {

    @Test
    void packagesWithoutCyclesAndClassesWithinTheirLength() throws IOException {
        SourceStructure.check(Path.of("src/main/java"), "io.stowage.image", 450, "render", "client");
    }
}
