package io.stowage.image;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of the main code, read from the sources' text (no bytecode tool needed): the packages
 * depend on each other in one direction only, and no class grows past {@value #MAX_LINES} lines.
 * Every {@code io.stowage.image...} package a file names after its {@code package} line (imports,
 * static imports, qualified names) is a dependency of the file's package.
 */
class PackageStructureTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.stowage\\.image(?:\\.[a-z][a-z0-9_]*)*");
    private static final int MAX_LINES = 450;

    @Test
    void mainPackagesDependOnEachOtherWithoutCycles() throws IOException {
        Map<String, Map<String, Set<String>>> graph = dependencies();
        assertTrue(graph.keySet().containsAll(Set.of("io.stowage.image.render", "io.stowage.image.vips", "io.stowage.image.rest")), "read the main sources: " + graph.keySet());
        assertEquals(List.of(), cycles(graph));
    }

    @Test
    void aCycleIsReportedWithTheFilesBehindEachStep() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        edge(graph, "a", "b", "a/One.java");
        edge(graph, "b", "c", "b/Two.java");
        edge(graph, "c", "a", "c/Three.java");
        edge(graph, "c", "d", "c/Four.java");
        assertEquals(List.of("a -> b (a/One.java) -> c (b/Two.java) -> a (c/Three.java)"), cycles(graph));
        graph.get("c").remove("a");
        assertEquals(List.of(), cycles(graph));
    }

    @Test
    void noMainClassIsLongerThanTheLimit() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path file : sources()) {
            int lines = Files.readAllLines(file, StandardCharsets.UTF_8).size();
            if (lines > MAX_LINES) {
                tooLong.add(MAIN.relativize(file) + ": " + lines + " lines");
            }
        }
        assertEquals(List.of(), tooLong, "split these by what they do");
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** package -> package it names -> the files that name it. */
    private static Map<String, Map<String, Set<String>>> dependencies() throws IOException {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        for (Path file : sources()) {
            String source = Files.readString(file, StandardCharsets.UTF_8);
            Matcher declared = PACKAGE.matcher(source);
            if (declared.find()) {
                String from = declared.group(1);
                graph.computeIfAbsent(from, p -> new TreeMap<>());
                Matcher named = REFERENCE.matcher(source.substring(declared.end()));
                while (named.find()) {
                    if (!named.group().equals(from)) {
                        edge(graph, from, named.group(), MAIN.relativize(file).toString());
                    }
                }
            }
        }
        return graph;
    }

    private static void edge(Map<String, Map<String, Set<String>>> graph, String from, String to, String file) {
        graph.computeIfAbsent(from, p -> new TreeMap<>()).computeIfAbsent(to, p -> new TreeSet<>()).add(file);
        graph.computeIfAbsent(to, p -> new TreeMap<>());
    }

    /**
     * For each package, in name order, the shortest way from it back to itself, unless an earlier
     * cycle already went through it: {@code a -> b (files naming b) -> ... -> a (files naming a)}.
     */
    private static List<String> cycles(Map<String, Map<String, Set<String>>> graph) {
        List<String> found = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (String start : graph.keySet()) {
            if (reported.contains(start)) {
                continue;
            }
            Map<String, String> previous = new HashMap<>();
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
            String last = null;
            while (!queue.isEmpty() && last == null) {
                String at = queue.removeFirst();
                for (String next : graph.get(at).keySet()) {
                    if (next.equals(start)) {
                        last = at;
                        break;
                    }
                    if (previous.putIfAbsent(next, at) == null) {
                        queue.addLast(next);
                    }
                }
            }
            if (last != null) {
                List<String> path = new ArrayList<>(List.of(start));
                for (String at = last; !at.equals(start); at = previous.get(at)) {
                    path.add(1, at);
                }
                path.add(start);
                reported.addAll(path);
                StringBuilder text = new StringBuilder(start);
                for (int i = 1; i < path.size(); i++) {
                    text.append(" -> ").append(path.get(i)).append(" (")
                            .append(String.join(", ", graph.get(path.get(i - 1)).get(path.get(i)))).append(")");
                }
                found.add(text.toString());
            }
        }
        return found;
    }
}
