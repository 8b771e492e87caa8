package com.foobar.bench.report;

import java.util.List;

/** One target's figures in one scenario: medians over its rounds. */
public record TargetSummary(String target, int rounds, double rpsMedian, double p50MsMedian, double p99MsMedian,
                            double mbPerSecondMedian, long errors, List<Double> rpsPerRound) {

    static TargetSummary of(String target, List<WrkRun> runs) {
        return new TargetSummary(target, runs.size(),
                Stats.median(runs.stream().map(WrkRun::requestsPerSecond).toList()),
                Stats.median(runs.stream().map(r -> r.p50Us() / 1000.0).toList()),
                Stats.median(runs.stream().map(r -> r.p99Us() / 1000.0).toList()),
                Stats.median(runs.stream().map(WrkRun::megabytesPerSecond).toList()),
                runs.stream().mapToLong(WrkRun::errors).sum(),
                runs.stream().map(WrkRun::requestsPerSecond).toList());
    }
}
