package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        return runWithEnv(java.util.Map.of(), args);
    }

    private static Run runWithEnv(java.util.Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StackMain.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process p = builder.start();
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

        assertRefusedAsABadFlag(run, "--port: \"80x\" is not a port number (1-65535)");
        assertThat(run.out).isEmpty();
    }

    @Test
    void anUnknownOptionPointsToHelpOnce() throws Exception {
        Run run = run("--web-instance", "2");

        assertRefusedAsABadFlag(run, "--web-instance: unknown option");
    }

    @Test
    void nginxThatIsNotInstalledIsRefusedInOneLineWithStatusTwoBeforeAnythingStarts() throws Exception {
        Path data = dir.resolve("data");
        Run run = runWithEnv(java.util.Map.of(NginxTier.ENV_PROGRAM, "/nonexistent/nginx"), "--nginx",
                "--data-dir", data.toString());

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).isEqualTo("foobar: --nginx: nginx is not installed (FOOBAR_NGINX=/nonexistent/nginx is not"
                + " an executable; Debian: apt-get install nginx)\n");
        assertThat(run.out).startsWith("Foobar Stack:").doesNotContain("starting");
    }

    /** Status 2, the one line naming the flag, and where to look for the options. */
    private static void assertRefusedAsABadFlag(Run run, String line) {
        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).isEqualTo("foobar: " + line + "\nRun with --help for the options.\n");
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
    void anAddressThatIsNoneIsABadBindFlag() throws Exception {
        Run run = run("--bind", "999.1.1.1");

        assertRefusedAsABadFlag(run, "--bind: \"999.1.1.1\" is not an IPv4 address: it takes four numbers 0-255,"
                + " such as 127.0.0.1");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsABadFlagWithItsReason() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path data = file.resolve("data");

        Run run = run("--data-dir", data.toString());

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).isEqualTo("foobar: --data-dir " + data + ": cannot create it: Not a directory\n");
        assertThat(run.out).doesNotContain("starting");
    }

    @Test
    void freshWipesNothingWhenAPortIsTaken() throws Exception {
        Path data = dir.resolve("data");
        Path order = Files.writeString(Files.createDirectories(data.resolve("db")).resolve("an-order"), "kept");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run run = run(withFreePorts("--data-dir", data.toString(), "--fresh",
                    "--web-port", Integer.toString(taken.getLocalPort())));

            assertThat(run.status).isEqualTo(1);
            assertThat(run.err).contains("for web-1 cannot be bound");
            assertThat(run.out).doesNotContain("wiped");
            assertThat(order).hasContent("kept");
        }
    }

    @Test
    void aBalancerConfigThatDoesNotLoadIsABadFlagFoundBeforeAnythingStarts() throws Exception {
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("balancer.yml"), "listeners:\n  - name: public\n"
                + "    bind: 127.0.0.1:80x\n");
        String reason;
        try {
            com.foobar.balancer.config.ConfigLoader.load(config);
            throw new AssertionError(config + " loads");
        } catch (com.foobar.balancer.config.ConfigException e) {
            reason = e.getMessage();
        }

        Run run = run(withFreePorts("--data-dir", data.toString(), "--balancer-config", config.toString()));

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).isEqualTo("foobar: --balancer-config " + config + ": " + reason + "\n");
        assertThat(run.out).doesNotContain("starting");
        assertThat(data.resolve("db")).doesNotExist();
    }

    /** The arguments, after flags that move every port but the web servers' to a free one. */
    private static String[] withFreePorts(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", Integer.toString(freePort()),
                "--admin-port", Integer.toString(freePort()), "--db-port", Integer.toString(freePort()),
                "--failover-port", Integer.toString(freePort()), "--overview-port", Integer.toString(freePort()),
                "--dns-port", Integer.toString(freePort()),
                "--web-instances", "1"));
        all.addAll(Arrays.asList(args));
        return all.toArray(new String[0]);
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
