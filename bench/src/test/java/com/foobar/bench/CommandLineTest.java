package com.foobar.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void readsOptionsWithTheirDefaults() {
        CommandLine cl = new CommandLine("idle-clients",
                new String[] {"idle-clients", "--target", "127.0.0.1:8080", "--hold", "500ms"}, 1);

        assertThat(cl.address("target", null).getPort()).isEqualTo(8080);
        assertThat(cl.duration("hold", Duration.ofMinutes(10))).isEqualTo(Duration.ofMillis(500));
        assertThat(cl.integer("connections", 10_000)).isEqualTo(10_000);
        cl.requireAllUsed();
    }

    @Test
    void refusesAnUnknownOptionByName() {
        CommandLine cl = new CommandLine("backend", new String[] {"--nmae", "web-1"}, 0);
        cl.string("name", "x");

        assertThatThrownBy(cl::requireAllUsed).hasMessage("backend: unknown option --nmae");
    }

    @Test
    void namesTheOptionAndValueThatAreWrong() {
        CommandLine cl = new CommandLine("backend",
                new String[] {"--bind", "web-2:80x", "--threads", "two", "--hold", "soon"}, 0);

        assertThatThrownBy(() -> cl.address("bind", null)).hasMessage("backend: --bind \"web-2:80x\" is not host:port");
        assertThatThrownBy(() -> cl.integer("threads", 1)).hasMessage("backend: --threads \"two\" is not a whole number");
        assertThatThrownBy(() -> cl.duration("hold", Duration.ZERO))
                .hasMessage("backend: --hold \"soon\" is not a duration like 500ms, 30s or 5m");
        assertThatThrownBy(() -> cl.string("name", null)).hasMessage("backend: --name is required");
    }
}
