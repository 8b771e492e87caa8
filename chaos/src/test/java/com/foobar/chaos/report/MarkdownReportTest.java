package com.foobar.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.chaos.scenario.ScenarioResult;
import com.foobar.chaos.scenario.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private static final MarkdownReport.Run RUN = new MarkdownReport.Run("abc1234", "short", "the no-Docker stack",
            "2 × CPU", "0.50 before", "80 reads/s", 95, "2026-12-05T12:00:00Z", List.of("The stack stopped in 2.0 s."));

    @Test
    void theTableHasOneRowPerScenarioWithGoalMeasuredAndResult() {
        String md = MarkdownReport.render(RUN, List.of(TimelineChartTest.dip(),
                new ScenarioResult("kill-primary", "writes back within 10 s", Verdict.NOT_AVAILABLE,
                        "not available in this stack: no db-failover | none", List.of(), List.of(), List.of())));

        assertThat(md).contains("on commit `abc1234`", "Load average (1 min): 0.50 before",
                "| Scenario | Goal | Measured | Result |",
                "| kill-web | goal | measured | **FAIL** |",
                "| kill-primary | writes back within 10 s | not available in this stack: no db-failover \\| none "
                        + "| not available |",
                "0 passed, 1 failed, 1 not available in this stack.", "The stack stopped in 2.0 s.",
                "- +3.00 s: kill -9 web-1", "![kill-web: requests per 100 ms](kill-web.png)");
        assertThat(md).doesNotContain("(kill-primary.png)");
    }
}
