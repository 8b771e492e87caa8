package com.foobar.stack;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** One run of the stack's jar, as a user starts it, with everything it printed. Shared by StackIT, TourIT and WebTierIT. */
final class RunningStack {
    final Process process;
    final StringBuffer output = new StringBuffer();
    final Thread reader;

    RunningStack(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                output.append("[test: output read failed: ").append(e).append("]\n");
            }
        }, "stack-output");
        reader.setDaemon(true);
        reader.start();
    }

    String output() {
        return output.toString();
    }

    /** Waits for the process to exit and for its last words to be read. */
    boolean awaitExit(Duration limit) throws InterruptedException {
        boolean exited = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return exited;
    }

    /**
     * The pid column of a row of the start-up table: its first cell of digits alone (an address is never one; a row
     * whose address takes several cells, as nginx's does, still finds it).
     */
    long pidOf(String component) {
        for (String line : output().split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length >= 3 && cells[0].equals(component)) {
                for (int i = 1; i < cells.length; i++) {
                    if (cells[i].matches("\\d+")) {
                        return Long.parseLong(cells[i]);
                    }
                }
            }
        }
        throw new AssertionError("no pid for " + component + " in:\n" + output());
    }

    /** A server's state ({@code up}, {@code down}, ...) in the balancer's /api/status, or {@code absent}. */
    static String serverState(HttpClient http, int adminPort, String server) throws IOException,
            InterruptedException {
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode pool : new ObjectMapper().readTree(status.body()).path("pools")) {
            for (JsonNode s : pool.path("servers")) {
                if (s.path("name").asText().equals(server)) {
                    return s.path("state").asText();
                }
            }
        }
        return "absent";
    }

    /**
     * Stops it as Ctrl-C would (SIGTERM: the stack stops its components in order), then kills whatever is left of
     * its process tree, and prints everything it said.
     */
    void destroy(Duration limit) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.toHandle().destroy();
        try {
            process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        System.out.println("--- the stack's whole output:\n" + output());
    }

    /**
     * Starts {@code command} (java -jar foobar-stack.jar ...) in {@code dir} and waits for the banner's last line;
     * fails with everything it printed if it exits first.
     */
    static RunningStack launch(List<String> command, Path dir, Duration limit) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile()).start();
        RunningStack stack = new RunningStack(process);
        long t0 = System.nanoTime();
        await().atMost(limit).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the stack exited with " + process.exitValue() + ":\n" + stack.output());
            }
            // The banner's last line: asserting on the banner before it is whole races its printing.
            return stack.output().contains("Foobar Stack is up in") && stack.output().contains("Ctrl-C stops it all");
        });
        System.out.printf("stack up in %.1fs:%n%s%n", (System.nanoTime() - t0) / 1e9, stack.output());
        return stack;
    }

/**
 * The first of {@code count} consecutive ports that are free on loopback now. They are taken below Linux's
 * ephemeral range (32768 and up), where an outgoing connection of another process could take one of them
 * between this check and the stack's bind.
 */
    static int freePorts(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
        int first = ThreadLocalRandom.current().nextInt(20000, 32000 - count);
        boolean free = true;
        for (int p = first; p < first + count && free; p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
            } catch (IOException e) {
                free = false;
            }
        }
        if (free) {
            return first;
        }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports found");
}
}
