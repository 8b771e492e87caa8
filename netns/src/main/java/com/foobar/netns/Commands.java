package com.foobar.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs iproute2, nftables and friends as child processes, bounded in time, with their output for error messages. */
final class Commands {
    private Commands() {
    }

    /** Exit status and the merged stdout and stderr of one finished command. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Result run(Duration timeout, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // Output is small (ip, nft, curl): read on the side, so that a hung command still ends at the timeout.
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(124, String.join(" ", command) + ": timed out after " + timeout.toMillis() + " ms");
            }
            String text = new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            return new Result(p.exitValue(), text);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Result(125, command.get(0) + ": output not readable: " + e);
        } catch (IOException e) {
            return new Result(127, command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }

    static Result run(String... command) {
        return run(Duration.ofSeconds(30), List.of(command));
    }

    /** Runs and fails with the command and its output when it does not succeed. */
    static String check(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new TopologyException(String.join(" ", command) + ": exit " + r.exit() + ": " + r.output());
        }
        return r.output();
    }

    /** Whether an executable of this name is on the PATH (or in /usr/sbin, /sbin, where Debian puts ip and nft). */
    static boolean onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
