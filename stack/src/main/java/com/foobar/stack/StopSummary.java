package com.foobar.stack;

import com.foobar.stack.process.StopResult;
import com.foobar.stack.process.SupervisedProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The console's line for one tier of a stop: what was stopped, and what was gone already (a crashed web server is
 * not "stopped" by the stack; saying so would hide the crash at the moment the user looks back at it).
 */
final class StopSummary {

    private StopSummary() {
    }

    static String line(List<StopResult> tier) {
        List<String> parts = new ArrayList<>();
        List<StopResult> stopped = tier.stream().filter(StopResult::stoppedIt).collect(Collectors.toList());
        if (!stopped.isEmpty()) {
            Duration took = stopped.stream().map(StopResult::took).max(Duration::compareTo).orElseThrow();
            parts.add("stopped " + stopped.stream().map(StopResult::name).collect(Collectors.joining(", "))
                    + String.format(Locale.ROOT, " in %.1fs", took.toMillis() / 1e3));
        }
        List<String> gone = tier.stream().filter(r -> !r.stoppedIt())
                .map(r -> r.name() + " (" + howGone(r.before()) + ")").collect(Collectors.toList());
        if (!gone.isEmpty()) {
            parts.add("already gone: " + String.join(", ", gone));
        }
        return String.join("; ", parts);
    }

    private static String howGone(SupervisedProcess.State before) {
        return before == SupervisedProcess.State.STOPPED ? "it had been stopped" : "it had exited";
    }
}
