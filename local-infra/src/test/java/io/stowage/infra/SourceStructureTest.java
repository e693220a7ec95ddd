package io.stowage.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The structure check every module runs: a cycle is reported with the files behind each step, and fails the check. */
class SourceStructureTest {

    @Test
    void reportsACycleWithTheFilesBehindIt() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        SourceStructure.edge(graph, "a", "b", "a/One.java");
        SourceStructure.edge(graph, "b", "c", "b/Two.java");
        SourceStructure.edge(graph, "c", "a", "c/Three.java");
        SourceStructure.edge(graph, "c", "d", "c/Four.java");
        assertEquals(List.of("a -> b (a/One.java) -> c (b/Two.java) -> a (c/Three.java)"), SourceStructure.cycles(graph));
        graph.get("c").remove("a");
        assertEquals(List.of(), SourceStructure.cycles(graph));
    }

    @Test
    void theCheckFailsOnACycleALongClassOrAPackageItDidNotRead(@TempDir Path root) throws IOException {
        write(root, "x/a/One.java", "package x.a;\nimport x.b.Two;\nclass One {}\n");
        write(root, "x/b/Two.java", "package x.b;\nclass Two {}\n");
        SourceStructure.check(root, "x", 10, "a", "b");
        AssertionError missing = assertThrows(AssertionError.class, () -> SourceStructure.check(root, "x", 10, "c"));
        assertTrue(missing.getMessage().contains("x.c"), missing.getMessage());
        AssertionError tooLong = assertThrows(AssertionError.class, () -> SourceStructure.check(root, "x", 2));
        assertTrue(tooLong.getMessage().contains("One.java: 3 lines"), tooLong.getMessage());
        write(root, "x/b/Two.java", "package x.b;\nclass Two { x.a.One one; }\n");
        AssertionError cycle = assertThrows(AssertionError.class, () -> SourceStructure.check(root, "x", 10));
        assertTrue(cycle.getMessage().contains("x.a -> x.b"), cycle.getMessage());
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
