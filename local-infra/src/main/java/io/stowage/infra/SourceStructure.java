package io.stowage.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shape of a module's main code, read from its sources' text, for every module's structure test:
 * its packages depend on each other in one direction only (no cycles), and no class grows past a
 * number of lines. Every {@code <basePackage>.<package>} a file names (imports, static imports,
 * qualified names, javadoc links) is a dependency of the file's package; no bytecode tool is needed.
 */
public final class SourceStructure {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    private SourceStructure() {
    }

    /**
     * The whole check of a module's structure test: the sources under {@code root} declare the
     * {@code expectedPackages} (so the check read them), have no package cycle and no class longer than
     * {@code maxLines}. Fails with an {@link AssertionError} naming what is wrong.
     */
    public static void check(Path root, String basePackage, int maxLines, String... expectedPackages) throws IOException {
        Map<String, Map<String, Set<String>>> graph = dependencies(root, basePackage);
        for (String expected : expectedPackages) {
            if (!graph.containsKey(basePackage + "." + expected)) {
                throw new AssertionError("no package " + basePackage + "." + expected + " under " + root + ": " + graph.keySet());
            }
        }
        List<String> cycles = cycles(graph);
        if (!cycles.isEmpty()) {
            throw new AssertionError("package cycles: " + cycles);
        }
        List<String> tooLong = longerThan(root, maxLines);
        if (!tooLong.isEmpty()) {
            throw new AssertionError("classes over " + maxLines + " lines, split them by what they do: " + tooLong);
        }
    }

    /** The package cycles of the sources under {@code root}, each with the files behind each step; empty when none. */
    public static List<String> packageCycles(Path root, String basePackage) throws IOException {
        return cycles(dependencies(root, basePackage));
    }

    /** The classes under {@code root} longer than {@code maxLines}, as {@code path: n lines}. */
    public static List<String> longerThan(Path root, int maxLines) throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                long lines = Files.readAllLines(file, StandardCharsets.UTF_8).size();
                if (lines > maxLines) {
                    tooLong.add(root.relativize(file) + ": " + lines + " lines");
                }
            }
        }
        return tooLong;
    }

    /** package -> package it names -> the files that name it. */
    public static Map<String, Map<String, Set<String>>> dependencies(Path root, String basePackage) throws IOException {
        Pattern reference = Pattern.compile("\\b" + Pattern.quote(basePackage) + "(?:\\.[a-z][a-z0-9_]*)+");
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                Matcher declared = PACKAGE.matcher(source);
                if (!declared.find()) {
                    continue;
                }
                String from = declared.group(1);
                graph.computeIfAbsent(from, p -> new TreeMap<>());
                Matcher named = reference.matcher(source.substring(declared.end()));
                while (named.find()) {
                    if (!named.group().equals(from)) {
                        edge(graph, from, named.group(), root.relativize(file).toString());
                    }
                }
            }
        }
        return graph;
    }

    public static void edge(Map<String, Map<String, Set<String>>> graph, String from, String to, String file) {
        graph.computeIfAbsent(from, p -> new TreeMap<>()).computeIfAbsent(to, p -> new TreeSet<>()).add(file);
        graph.computeIfAbsent(to, p -> new TreeMap<>());
    }

    /**
     * One cycle for each group of packages that reach each other (Tarjan's strongly connected
     * components), as {@code a -> b (file naming b) -> ... -> a (file naming a)}.
     */
    public static List<String> cycles(Map<String, Map<String, Set<String>>> graph) {
        List<String> found = new ArrayList<>();
        for (Set<String> component : new Components(graph).find()) {
            if (component.size() > 1) {
                found.add(describe(graph, component));
            }
        }
        return found;
    }

    /** The shortest way from the component's first package back to itself, with the files of each step. */
    private static String describe(Map<String, Map<String, Set<String>>> graph, Set<String> component) {
        String start = component.iterator().next();
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        String last = null;
        while (!queue.isEmpty() && last == null) {
            String at = queue.removeFirst();
            for (String next : graph.get(at).keySet()) {
                if (next.equals(start)) {
                    last = at;
                    break;
                }
                if (component.contains(next) && !previous.containsKey(next)) {
                    previous.put(next, at);
                    queue.addLast(next);
                }
            }
        }
        List<String> path = new ArrayList<>(List.of(start));
        for (String at = last; !at.equals(start); at = previous.get(at)) {
            path.add(1, at);
        }
        path.add(start);
        StringBuilder text = new StringBuilder(path.getFirst());
        for (int i = 1; i < path.size(); i++) {
            text.append(" -> ").append(path.get(i))
                    .append(" (").append(String.join(", ", graph.get(path.get(i - 1)).get(path.get(i)))).append(")");
        }
        return text.toString();
    }

    /** Tarjan's algorithm over the package graph, visiting packages in name order. */
    private static final class Components {
        private final Map<String, Map<String, Set<String>>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowest = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final List<Set<String>> components = new ArrayList<>();

        Components(Map<String, Map<String, Set<String>>> graph) {
            this.graph = graph;
        }

        List<Set<String>> find() {
            for (String node : graph.keySet()) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return components;
        }

        private void visit(String node) {
            index.put(node, index.size());
            lowest.put(node, index.get(node));
            stack.push(node);
            for (String next : graph.get(node).keySet()) {
                if (!index.containsKey(next)) {
                    visit(next);
                    lowest.put(node, Math.min(lowest.get(node), lowest.get(next)));
                } else if (stack.contains(next)) {
                    lowest.put(node, Math.min(lowest.get(node), index.get(next)));
                }
            }
            if (lowest.get(node).equals(index.get(node))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    component.add(member);
                } while (!member.equals(node));
                components.add(component);
            }
        }
    }
}
