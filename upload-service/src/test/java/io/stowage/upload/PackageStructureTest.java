package io.stowage.upload;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.stowage.infra.SourceStructure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape of the main code (local-infra's {@link SourceStructure}, the one check every module runs):
 * its packages depend on each other in one direction only, and no class grows past {@value #MAX_LINES} lines.
 */
class PackageStructureTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final String BASE = "io.stowage.upload";
    private static final int MAX_LINES = 450;

    @Test
    void packagesWithoutCyclesAndClassesWithinTheirLength() throws IOException {
        SourceStructure.check(MAIN, BASE, MAX_LINES, "presigned", "multipart", "direct", "tus");
    }

    @Test
    void theUploadPathsDoNotDependOnEachOther() throws IOException {
        Set<String> paths = Set.of(BASE + ".presigned", BASE + ".multipart", BASE + ".direct", BASE + ".tus");
        Map<String, Map<String, Set<String>>> graph = SourceStructure.dependencies(MAIN, BASE);
        for (String path : paths) {
            for (Map.Entry<String, Set<String>> named : graph.get(path).entrySet()) {
                assertFalse(paths.contains(named.getKey()),
                        path + " depends on " + named.getKey() + " (" + String.join(", ", named.getValue()) + ")");
            }
        }
    }

}
