package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour, run as written, so that it cannot rot: every {@code bash tour} block between
 * {@code <!-- tour:begin -->} and {@code <!-- tour:end -->} in README.md, in order, by bash, against one stack started
 * with the tour's own command line. Each {@code #=>} line of a block is a regular expression its output (stdout and
 * stderr) must contain. Only what a reader could not run as written is changed: the stack's default ports become free
 * ones (so that a stack a developer left running is not disturbed) and {@code /tmp/foobar.*} files become this test's.
 * A block marked {@code prometheus} needs Debian's {@code prometheus} on the PATH; without it that block is skipped
 * (with a line saying so), unless {@code FOOBAR_TOUR_REQUIRED=1} (CI) makes that a failure.
 */
class TourIT {

    private static final Path JAR = Path.of(System.getProperty("foobar.stack.jar", "target/foobar-stack.jar"));
    private static final Path README = Path.of(System.getProperty("foobar.readme", "../README.md"));
    /** The tour's own command line, as the README shows it; the test runs the same flags. */
    private static final String START = "./foobar --fresh --control-port 9097 --prometheus";
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```bash tour([^\\n]*)\\n(.*?)^```$");
    private static final Pattern EXPECT = Pattern.compile("(?m)^#=> (.*)$");
    private static final Duration BLOCK_LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private RunningStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.destroy(Duration.ofMinutes(2));
        }
    }

    record Block(String flags, String script, List<Pattern> expected) {
    }

    @Test
    void everyCommandOfTheReadmeTourDoesWhatTheReadmeSays() throws Exception {
        String readme = Files.readString(README);
        int begin = readme.indexOf("<!-- tour:begin -->");
        int end = readme.indexOf("<!-- tour:end -->");
        assertThat(begin).as("README.md has the tour markers").isPositive().isLessThan(end);
        assertThat(readme.substring(0, begin)).as("the tour's start command").contains(START);
        List<Block> blocks = blocks(readme.substring(begin, end));
        assertThat(blocks).as("tour blocks").hasSizeGreaterThanOrEqualTo(8);

        boolean prometheus = onPath("prometheus");
        if (!prometheus && "1".equals(System.getenv("FOOBAR_TOUR_REQUIRED"))) {
            throw new AssertionError("FOOBAR_TOUR_REQUIRED=1, but there is no prometheus on the PATH for --prometheus");
        }
        int base = RunningStack.freePorts(11);
        // The stack's defaults, as the README writes them, and where this run puts each.
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        String[][] flags = {{"8080", "--port"}, {"9090", "--admin-port"}, {"8081", "--web-port"}, {"13306", "--db-port"},
                {"9095", "--failover-port"}, {"9096", "--overview-port"}, {"5353", "--dns-port"},
                {"9091", "--prometheus-port"}, {"9097", "--control-port"}};
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--fresh", "--bind", "127.0.0.1", "--data-dir", dir.resolve("data").toString()));
        int next = base;
        for (String[] f : flags) {
            ports.put(Integer.parseInt(f[0]), next);
            command.addAll(List.of(f[1], Integer.toString(next)));
            // web-2 and the replica take the port after web-1's and the primary's.
            next += f[1].equals("--web-port") || f[1].equals("--db-port") ? 2 : 1;
        }
        ports.put(8082, ports.get(8081) + 1);
        ports.put(13307, ports.get(13306) + 1);
        if (prometheus) {
            command.add("--prometheus");
        }
        assertThat(JAR).as("the packaged stack jar").exists();
        stack = RunningStack.launch(command, dir, Duration.ofMinutes(3));

        int n = 0;
        for (Block block : blocks) {
            n++;
            if (block.flags().contains("prometheus") && !prometheus) {
                System.out.println("[tour] block " + n + " skipped: no prometheus on the PATH");
                continue;
            }
            String script = localized(block.script(), ports);
            String output = bash(script);
            System.out.printf("[tour] block %d:%n%s%n--- its output:%n%s%n", n, script, output);
            for (Pattern expected : block.expected()) {
                assertThat(expected.matcher(output).find())
                        .as("tour block %d must show /%s/; it printed:%n%s%nThe stack said:%n%s", n, expected, output,
                                stack.output())
                        .isTrue();
            }
        }
    }

    static List<Block> blocks(String tour) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(tour);
        while (m.find()) {
            List<Pattern> expected = new ArrayList<>();
            Matcher e = EXPECT.matcher(m.group(2));
            while (e.find()) {
                expected.add(Pattern.compile(e.group(1), Pattern.MULTILINE));
            }
            out.add(new Block(m.group(1).trim(), m.group(2), expected));
        }
        return out;
    }

    /** The script with the stack's default ports moved to this run's, and its scratch files in this test's dir. */
    private String localized(String script, Map<Integer, Integer> ports) {
        String s = script.replace("/tmp/foobar.", dir.resolve("foobar.").toString());
        for (Map.Entry<Integer, Integer> p : ports.entrySet()) {
            s = s.replaceAll("127\\.0\\.0\\.1:" + p.getKey() + "\\b", "127.0.0.1:" + p.getValue())
                    .replaceAll("-p " + p.getKey() + "\\b", "-p " + p.getValue());
        }
        return s;
    }

    private String bash(String script) throws IOException, InterruptedException {
        // From the repository's root, where the README's relative paths start.
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", script)
                .directory(README.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true).start();
        // The output is read to the end (the blocks print little), bounded by the process's own limit below.
        String[] output = new String[1];
        Thread reader = new Thread(() -> {
            try {
                output[0] = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                output[0] = "[test: reading the output failed: " + e + "]";
            }
        }, "tour-output");
        reader.start();
        if (!p.waitFor(BLOCK_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("a tour block ran past " + BLOCK_LIMIT + ":\n" + script);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return output[0] == null ? "" : output[0];
    }

    private static boolean onPath(String program) {
        return HeadlessChromium.onPath(program).isPresent();
    }

    @Test
    void theBlocksAreFoundWithTheirExpectations() {
        // The parser itself, on a sample: a plain bash block is not the tour's, a flag is kept.
        List<Block> blocks = blocks("""
                ```bash
                echo not run
                ```
                ```bash tour prometheus
                echo a
                #=> ^a$
                ```
                """);
        assertThat(blocks).singleElement().satisfies(b -> {
            assertThat(b.flags()).isEqualTo("prometheus");
            assertThat(b.expected()).extracting(Pattern::pattern).containsExactly("^a$");
        });
    }
}
