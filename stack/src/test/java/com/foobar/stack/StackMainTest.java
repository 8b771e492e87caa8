package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a user meets it: a separate JVM, its exit status and what it prints. */
class StackMainTest {

    @TempDir
    Path dir;

    private static final class Run {
        final int status;
        final String out;
        final String err;

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    private static Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StackMain.class.getName()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("StackMain did not exit within 30s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheOptionsAndExitsZero() throws Exception {
        Run run = run("--help");

        assertThat(run.status).isZero();
        assertThat(run.out).startsWith("Usage: foobar [options]").contains("--web-instances N", "--no-restart");
        assertThat(run.err).isEmpty();
    }

    @Test
    void anInvalidOptionExitsTwoWithOneClearLineAndNoStackTrace() throws Exception {
        Run run = run("--port", "80x");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).isEqualTo("foobar: --port: \"80x\" is not a port number (1-65535)\n"
                + "Run with --help for the options.\n");
        assertThat(run.out).isEmpty();
    }

    @Test
    void aBusyPortStopsTheStartBeforeAnythingRunsAndNamesTheFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Run run = run("--data-dir", dir.resolve("data").toString(), "--bind", "127.0.0.1",
                    "--port", Integer.toString(port), "--admin-port", Integer.toString(freePort()),
                    "--web-port", Integer.toString(freePort()), "--web-instances", "1",
                    "--db-port", Integer.toString(freePort()));

            assertThat(run.status).isEqualTo(1);
            assertThat(run.err).contains("foobar: the stack could not start: 127.0.0.1:" + port
                    + " for the balancer cannot be bound").contains("choose another port with --port")
                    .doesNotContain("Exception", "\tat ");
            assertThat(run.out).doesNotContain("starting the database");
        }
    }

    @Test
    void aSecondStackOnTheSameDataDirectoryIsRefused() throws Exception {
        Path data = dir.resolve("data");
        try (DataDirectory held = DataDirectory.lock(data)) {
            Run run = run("--data-dir", data.toString());

            assertThat(run.status).isEqualTo(1);
            assertThat(run.err).contains("another stack is running with the data directory " + data
                    + " (pid " + ProcessHandle.current().pid() + ")");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
