package com.foobar.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The balancer's packages depend on each other in one direction only: a package can be read (and changed) knowing
 * only those it uses. The dependencies are the compiled classes' own, as the JDK's {@code jdeps} reads them.
 */
class PackageDependenciesTest {
    private static final String ROOT = "com.foobar.balancer";
    private static final Pattern EDGE = Pattern.compile("^\\s+(" + Pattern.quote(ROOT) + "[\\w.]*)\\s+->\\s+("
            + Pattern.quote(ROOT) + "[\\w.]*)\\s");

    @Test
    void noTwoPackagesDependOnEachOtherThroughAnyPath() throws Exception {
        Map<String, Set<String>> uses = packageDependencies();
        assertThat(uses).as("jdeps found the balancer's packages").containsKeys(ROOT + ".proxy", ROOT + ".http");

        List<List<String>> cycles = new ArrayList<>();
        for (String from : uses.keySet()) {
            for (String to : uses.get(from)) {
                List<String> back = path(uses, to, from);
                if (back != null && from.compareTo(to) < 0) {
                    List<String> cycle = new ArrayList<>(List.of(from));
                    cycle.addAll(back);
                    cycles.add(cycle);
                }
            }
        }
        assertThat(cycles).as("package cycles (each listed from a package back to itself)").isEmpty();
    }

    private static Map<String, Set<String>> packageDependencies() throws Exception {
        Path classes = Path.of(PackageDependenciesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolveSibling("classes");
        assertThat(Files.isDirectory(classes)).as(classes + " exists").isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                classes.toString());
        assertThat(rc).as("jdeps: " + out).isZero();
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                uses.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return uses;
    }

    /** A path of uses from {@code from} to {@code to} (both included), or null. */
    private static List<String> path(Map<String, Set<String>> uses, String from, String to) {
        Deque<List<String>> queue = new ArrayDeque<>(List.of(List.of(from)));
        Set<String> seen = new HashSet<>(Set.of(from));
        while (!queue.isEmpty()) {
            List<String> p = queue.poll();
            String last = p.get(p.size() - 1);
            if (last.equals(to)) {
                return p;
            }
            for (String next : uses.getOrDefault(last, Set.of())) {
                if (seen.add(next)) {
                    List<String> longer = new ArrayList<>(p);
                    longer.add(next);
                    queue.add(longer);
                }
            }
        }
        return null;
    }
}
