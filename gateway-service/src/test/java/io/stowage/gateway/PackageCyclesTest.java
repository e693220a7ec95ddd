package io.stowage.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway's packages depend on each other one way only: read from the main sources' package and
 * {@code import io.stowage.gateway...} lines, no package reaches back to one that reaches it.
 */
class PackageCyclesTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(io\\.stowage\\.gateway\\.[\\w.]+)\\s*;",
            Pattern.MULTILINE);

    @Test
    void noPackageOfTheGatewayDependsOnItselfThroughOthers() {
        Map<String, Set<String>> graph = dependencies(MAIN);
        assertTrue(graph.size() > 5, "the gateway's packages were read: " + graph.keySet());
        assertEquals(List.of(), cycles(graph), "package cycles in " + graph);
    }

    @Test
    void theCheckFindsACycleBetweenTwoPackagesAndOneThroughThree() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of(
                "a", Set.of("b"), "b", Set.of("a", "c"), "c", Set.of(),
                "x", Set.of("y"), "y", Set.of("z"), "z", Set.of("x")));
        assertEquals(List.of(List.of("a", "b"), List.of("x", "y", "z")), cycles(graph));
    }

    /** Each package of the sources under {@code root} and the gateway packages its files import. */
    static Map<String, Set<String>> dependencies(Path root) {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher declared = PACKAGE.matcher(source);
                if (!declared.find()) {
                    continue;
                }
                Set<String> uses = graph.computeIfAbsent(declared.group(1), p -> new TreeSet<>());
                Matcher imported = IMPORT.matcher(source);
                while (imported.find()) {
                    String target = packageOf(imported.group(1));
                    if (!target.equals(declared.group(1))) {
                        uses.add(target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** The package of an imported name: its segments up to the first that starts with a capital (a type). */
    static String packageOf(String importedName) {
        List<String> segments = new ArrayList<>();
        for (String segment : importedName.split("\\.")) {
            if (Character.isUpperCase(segment.charAt(0)) || segment.equals("*")) {
                break;
            }
            segments.add(segment);
        }
        return String.join(".", segments);
    }

    /** The groups of packages that reach each other (strongly connected, more than one), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        List<List<String>> found = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String start : graph.keySet()) {
            if (seen.contains(start)) {
                continue;
            }
            Set<String> group = new TreeSet<>();
            for (String other : graph.keySet()) {
                if (reaches(graph, start, other) && reaches(graph, other, start)) {
                    group.add(other);
                }
            }
            seen.addAll(group);
            seen.add(start);
            if (group.size() > 1) {
                found.add(List.copyOf(group));
            }
        }
        return found;
    }

    private static boolean reaches(Map<String, Set<String>> graph, String from, String to) {
        Set<String> visited = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            String next = todo.removeLast();
            if (next.equals(to)) {
                return true;
            }
            if (visited.add(next)) {
                todo.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return false;
    }
}
