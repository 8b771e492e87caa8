package com.foobar.webapp;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real {@code main} in a child JVM: a bad flag ends it with status 2 and one line naming the flag. */
class MainExitStatusTest {

    private static Process run(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    @Test
    void badTrustedProxiesExitWithStatus2AndOneLineNamingTheFlag() throws Exception {
        Process p = run("--trusted-proxies", "10.0.0.1/8");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(Main.EXIT_USAGE);
        assertThat(stderr).isEqualTo("webapp: --trusted-proxies[0] \"10.0.0.1/8\" has host bits set"
                + " (did you mean 10.0.0.0/8?)" + System.lineSeparator());
    }
}
