package com.foobar.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void theShortFormWritesOutsideTheCommittedResults() {
        RunOptions o = RunOptions.parse(List.of("--short", "--root", "/repo"));

        assertThat(o.shortForm()).isTrue();
        assertThat(o.outDir()).isEqualTo(Path.of("/repo/chaos/target/results-short"));
        assertThat(RunOptions.parse(List.of("--root", "/repo")).outDir()).isEqualTo(Path.of("/repo/chaos/results"));
        assertThat(RunOptions.parse(List.of("--root", "/repo", "--compose")).outDir())
                .isEqualTo(Path.of("/repo/chaos/results/compose"));
        assertThat(o.wants("kill-web")).isTrue();
    }

    @Test
    void scenariosCanBePickedByName() {
        RunOptions o = RunOptions.parse(List.of("--scenarios", "kill-web,kill-replica"));

        assertThat(o.wants("kill-replica")).isTrue();
        assertThat(o.wants("rolling-restart")).isFalse();
    }

    @Test
    void errorsNameTheFlag() {
        assertThatThrownBy(() -> RunOptions.parse(List.of("--scenarios", "kill-all")))
                .hasMessageStartingWith("--scenarios: unknown scenario \"kill-all\" (one of kill-web, ");
        assertThatThrownBy(() -> RunOptions.parse(List.of("--reads", "fast")))
                .hasMessage("--reads: \"fast\" is not a rate from 0 to 5000 per second");
        assertThatThrownBy(() -> RunOptions.parse(List.of("--out-dir"))).hasMessage("--out-dir: needs a value");
        assertThatThrownBy(() -> RunOptions.parse(List.of("--fast"))).hasMessage("--fast: unknown option");
        assertThatThrownBy(() -> RunOptions.parse(List.of("--reads", "0", "--writes", "0")))
                .hasMessage("--reads, --writes: at least one must be above 0");
    }
}
