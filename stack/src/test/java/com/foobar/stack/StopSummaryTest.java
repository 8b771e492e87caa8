package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.stack.process.StopResult;
import com.foobar.stack.process.SupervisedProcess.State;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopSummaryTest {

    @Test
    void aTierNamesWhatWasStoppedAndWhatWasAlreadyGone() {
        assertThat(StopSummary.line(List.of(new StopResult("web-1", State.EXITED, Duration.ofMillis(2)),
                new StopResult("web-2", State.RUNNING, Duration.ofMillis(1234)),
                new StopResult("web-3", State.STOPPED, Duration.ofMillis(1)))))
                .isEqualTo("stopped web-2 in 1.2s; already gone: web-1 (it had exited), web-3 (it had been stopped)");
    }

    @Test
    void aTierThatRanWholeSaysOnlyWhatItStopped() {
        assertThat(StopSummary.line(List.of(new StopResult("web-1", State.RUNNING, Duration.ofMillis(900)),
                new StopResult("web-2", State.STARTING, Duration.ofMillis(1500)))))
                .isEqualTo("stopped web-1, web-2 in 1.5s");
        assertThat(StopSummary.line(List.of(new StopResult("balancer", State.EXITED, Duration.ZERO))))
                .isEqualTo("already gone: balancer (it had exited)");
    }
}
