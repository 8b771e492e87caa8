package com.foobar.chaos.stacks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs a command (docker, compose) in a directory with extra environment, bounded in time, output merged. */
final class Cli {

    record Result(int exit, String output, List<String> command) {
        boolean ok() {
            return exit == 0;
        }

        String orFail() throws IOException {
            if (!ok()) {
                String out = output.strip();
                throw new IOException(String.join(" ", command) + " failed (exit " + exit + "): "
                        + (out.length() > 2000 ? "..." + out.substring(out.length() - 2000) : out));
            }
            return output.strip();
        }
    }

    private final Path dir;
    private final Map<String, String> env;

    Cli(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = Map.copyOf(env);
    }

    Map<String, String> environment() {
        return env;
    }

    Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command), null);
    }

    Result run(Duration timeout, List<String> command, Consumer<String> lines) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        StringBuilder out = new StringBuilder();
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage(), command);
        }
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    if (lines != null) {
                        lines.accept(line);
                    }
                }
            } catch (IOException e) {
                // The process is gone.
            }
        });
        pump.setDaemon(true);
        pump.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Result(124, "timed out after " + timeout.toSeconds() + " s", command);
            }
            pump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(130, "interrupted", command);
        }
        synchronized (out) {
            return new Result(p.exitValue(), out.toString(), command);
        }
    }
}
