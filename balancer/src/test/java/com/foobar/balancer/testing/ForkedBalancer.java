package com.foobar.balancer.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * {@code com.foobar.balancer.Main} in a JVM of its own (this test JVM's classpath), for what must be seen from the
 * outside: heap limits, exit codes, signals. Output lines are collected; the listener address is read off the startup
 * table. The child runs Netty's leak detector at this JVM's level ({@code paranoid} under Maven), and a {@code LEAK:}
 * line in its output fails the test when the child is closed or has exited.
 */
public final class ForkedBalancer implements AutoCloseable {

    private static final String LEAK_LEVEL = "io.netty.leakDetection.level";
    private static final Pattern LISTENER_ROW = Pattern.compile("^\\s+(\\S+)\\s+(\\S+):(\\d+)\\s+https?://.*");

    private final Process process;
    private final ConcurrentLinkedQueue<String> stdout = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> stderr = new ConcurrentLinkedQueue<>();

    private ForkedBalancer(Process process) {
        this.process = process;
        pump(process.getInputStream(), stdout, "stdout");
        pump(process.getErrorStream(), stderr, "stderr");
    }

    /** Starts {@code java <jvmArgs> -cp <test classpath> com.foobar.balancer.Main <args>}. */
    public static ForkedBalancer start(List<String> jvmArgs, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        String leakLevel = System.getProperty(LEAK_LEVEL);
        if (leakLevel != null && jvmArgs.stream().noneMatch(a -> a.startsWith("-D" + LEAK_LEVEL + "="))) {
            cmd.add("-D" + LEAK_LEVEL + "=" + leakLevel);
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("com.foobar.balancer.Main");
        cmd.addAll(List.of(args));
        return new ForkedBalancer(new ProcessBuilder(cmd).start());
    }

    /** Runs Main to completion (e.g. {@code --check}) and returns its exit status. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("balancer did not exit within " + timeout);
        }
        // Let the pumps drain what is left.
        await().atMost(Duration.ofSeconds(5)).until(() -> !pumpsRunning());
        assertNoLeakReported();
        return process.exitValue();
    }

    /** Fails when the child's Netty reported a leak. */
    private void assertNoLeakReported() {
        List<String> leaks = stderr.stream().filter(l -> l.contains("LEAK:")).toList();
        if (!leaks.isEmpty()) {
            throw new AssertionError("the forked balancer's Netty reported " + leaks.size() + " leak(s); the first: "
                    + leaks.get(0) + "\n" + String.join("\n", stderr));
        }
    }

    private final List<Thread> pumps = new ArrayList<>();

    private boolean pumpsRunning() {
        return pumps.stream().anyMatch(Thread::isAlive);
    }

    /** Waits for the startup table and returns the named listener's address. */
    public InetSocketAddress awaitListener(String name, Duration timeout) {
        await().atMost(timeout).until(() -> listener(name) != null || !process.isAlive());
        InetSocketAddress a = listener(name);
        if (a == null) {
            throw new IllegalStateException("balancer exited: " + String.join("\n", stderr));
        }
        return a;
    }

    private InetSocketAddress listener(String name) {
        for (String line : stdout) {
            Matcher m = LISTENER_ROW.matcher(line);
            if (m.matches() && m.group(1).equals(name)) {
                return new InetSocketAddress(m.group(2), Integer.parseInt(m.group(3)));
            }
        }
        return null;
    }

    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then waits for a graceful exit; fails when the child reported a leak. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !pumpsRunning());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return;
        }
        assertNoLeakReported();
    }

    private void pump(java.io.InputStream in, ConcurrentLinkedQueue<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.add(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "forked-balancer-" + name);
        t.setDaemon(true);
        t.start();
        pumps.add(t);
    }

    /** A temporary file holding {@code yaml}. */
    public static Path writeConfig(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("balancer.yml");
        java.nio.file.Files.writeString(file, yaml);
        return file;
    }
}
