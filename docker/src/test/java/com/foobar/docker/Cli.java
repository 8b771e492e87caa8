package com.foobar.docker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the command-line tools the live compose test drives (docker, compose, the local-images script) as a user
 * would, each bounded in time. Output is captured; with a progress sink it is also shown line by line as it comes,
 * for the steps that take minutes.
 */
final class Cli {
    private final Path workDir;
    private final Map<String, String> environment;

    Cli(Path workDir, Map<String, String> environment) {
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
    }

    Path workDir() {
        return workDir;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** The result of one command: its exit status and its output (stdout and stderr merged, in order). */
    record Result(List<String> command, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The trimmed output, or an AssertionError that gives the command, its status and its output. */
        String orFail() {
            if (!ok()) {
                throw new AssertionError(String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
            }
            return output.trim();
        }
    }

    Result run(Duration timeout, List<String> command) {
        return run(timeout, command, null);
    }

    Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command), null);
    }

    /** Runs a command; a command still running at the timeout is killed and reported with exit code -1. */
    Result run(Duration timeout, List<String> command, Consumer<String> progress) {
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, executable(command.get(0)));
        ProcessBuilder pb = new ProcessBuilder(resolved).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(command, 127, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> drain(p.getInputStream(), progress));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Result(command, -1, output.getNow("") + "\n(killed after " + timeout + ")");
            }
            return new Result(command, p.exitValue(), output.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /**
     * The program as this environment's PATH finds it. ProcessBuilder searches the test JVM's own PATH, not the one
     * given to the child, and local-images.sh may put another docker CLI first.
     */
    private String executable(String name) {
        if (name.contains("/")) {
            return name;
        }
        String path = environment.getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate.toString();
            }
        }
        return name;
    }

    private static String drain(InputStream in, Consumer<String> progress) {
        StringBuilder all = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                all.append(line).append('\n');
                if (progress != null && !line.isBlank()) {
                    progress.accept(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
