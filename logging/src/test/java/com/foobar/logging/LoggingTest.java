package com.foobar.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program set up by {@link Logging}, run as a JVM of its own, as every component runs. */
class LoggingTest {

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}";

    @TempDir
    Path dir;

    private List<String> run(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LoggingChild.class.getName()));
        command.addAll(List.of(args));
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return Files.readAllLines(stderr, StandardCharsets.UTF_8);
    }

    @Test
    void anUncaughtExceptionIsLoggedOnceInTheFormatAndShutdownHooksStillLog() throws Exception {
        List<String> err = run("component");

        assertThat(err).filteredOn(l -> l.contains("nobody caught this")).singleElement().asString()
                .matches(TIME + " ERROR uncaught: thread \"worker-1\" ended on an exception nothing caught:"
                        + " java.lang.IllegalStateException: nobody caught this");
        assertThat(err).anySatisfy(l -> assertThat(l).startsWith("\tat com.foobar.logging.LoggingChild"));
        assertThat(err).noneMatch(l -> l.startsWith("Exception in thread"));
        assertThat(err).anyMatch(l -> l.matches(TIME + " ERROR Noisy: kept"));
        assertThat(err).noneMatch(l -> l.contains("told better elsewhere") || l.contains("quiet at info"));
        assertThat(err).anyMatch(l -> l.matches(TIME + " INFO  Shutdown: logged while stopping"));
    }

    @Test
    void onATerminalTheTraceGoesToTheFileOnly() throws Exception {
        Path file = dir.resolve("logs").resolve("stack.log");

        List<String> err = run("terminal", file.toString());

        assertThat(err).filteredOn(l -> l.contains("nobody caught this")).singleElement();
        assertThat(err).noneMatch(l -> l.startsWith("\tat "));
        List<String> logged = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(logged).filteredOn(l -> l.contains("nobody caught this")).singleElement();
        assertThat(logged).anySatisfy(l -> assertThat(l).startsWith("\tat com.foobar.logging.LoggingChild"));
    }
}
