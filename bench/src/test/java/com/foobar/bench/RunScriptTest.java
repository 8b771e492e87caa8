package com.foobar.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * bench/run itself, without running a benchmark: it parses, it explains itself, and it refuses bad options before
 * building or starting anything.
 */
class RunScriptTest {

    private static final Path SCRIPT = Path.of("run").toAbsolutePath();

    private record Result(int status, String output) {
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("bench/run " + String.join(" ", args)).isTrue();
        return new Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void isValidBash() throws Exception {
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
        Process process = new ProcessBuilder("bash", "-n", SCRIPT.toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void explainsItsOptions() throws Exception {
        Result result = run("--help");

        assertThat(result.status()).isZero();
        assertThat(result.output()).contains("--quick", "--rounds", "--duration", "--workers", "--scenarios");
    }

    @Test
    void refusesBadOptionsWithOneLineBeforeStartingAnything() throws Exception {
        assertThat(run("--rounds", "zero")).isEqualTo(
                new Result(1, "bench/run: --rounds: \"zero\" is not a positive whole number\n"));
        assertThat(run("--scenarios", "small-keepalive,tiny")).isEqualTo(
                new Result(1, "bench/run: --scenarios: unknown scenario \"tiny\"\n"));
        assertThat(run("--targets", "envoy")).isEqualTo(
                new Result(1, "bench/run: --targets: unknown target \"envoy\"\n"));
    }
}
