package com.foobar.chaos.scenario;

import com.foobar.chaos.load.RequestRecord;
import java.util.List;

/**
 * What a scenario found.
 *
 * @param name     e.g. {@code kill-web}
 * @param goal     what it must show, in one line
 * @param verdict  pass, fail, or not available (with the reason in {@code measured})
 * @param measured one line: requests, failures by kind, worst gap, recovery
 * @param details  the rest, one finding a line
 * @param records  every request of its load (empty when it did not run)
 * @param marks    the fault, the actions and the recoveries, on the same clock as the records
 */
public record ScenarioResult(String name, String goal, Verdict verdict, String measured, List<String> details,
                             List<RequestRecord> records, List<Mark> marks) {

    public static ScenarioResult notAvailable(Scenario s, String reason) {
        return new ScenarioResult(s.name(), s.goal(), Verdict.NOT_AVAILABLE, reason, List.of(), List.of(), List.of());
    }
}
