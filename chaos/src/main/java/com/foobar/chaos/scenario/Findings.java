package com.foobar.chaos.scenario;

import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.load.Operation;
import com.foobar.chaos.load.RequestRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lines every scenario reports about its load, in the same words. */
final class Findings {

    private Findings() {
    }

    /** {@code 2,310 requests (1,850 reads, 460 writes); failed: reads 0, writes 2 (502×2)}. */
    static String requests(LoadSummary s) {
        return String.format(Locale.ROOT, "%,d requests (%,d reads, %,d writes); failed: reads %d%s, writes %d%s",
                s.records().size(), s.count(Operation.READ), s.count(Operation.WRITE),
                s.failed(Operation.READ), kinds(s, Operation.READ), s.failed(Operation.WRITE),
                kinds(s, Operation.WRITE));
    }

    private static String kinds(LoadSummary s, Operation op) {
        return s.failed(op) == 0 ? "" : " (" + s.describeFailures(r -> r.operation() == op) + ")";
    }

    /** {@code worst gap: reads 40 ms, writes 160 ms}. */
    static String gaps(LoadSummary s) {
        return String.format(Locale.ROOT, "worst gap without a success: reads %.0f ms, writes %.0f ms",
                s.worstGap(Operation.READ).lengthMs(), s.worstGap(Operation.WRITE).lengthMs());
    }

    /** Every failure, one line each, at most {@code max}. */
    static List<String> failureLines(LoadSummary s, int max) {
        List<String> lines = new ArrayList<>();
        // Failed reads first: a read failing is rarer than a write refused during a failover, and it is what fails a
        // scenario, so it must not be cut off behind a hundred refused writes.
        List<RequestRecord> failed = s.records().stream().filter(r -> !r.ok())
                .sorted(java.util.Comparator.comparing((RequestRecord r) -> r.operation() != Operation.READ)
                        .thenComparingDouble(RequestRecord::startMs))
                .toList();
        for (RequestRecord r : failed.subList(0, Math.min(max, failed.size()))) {
            lines.add(String.format(Locale.ROOT, "failed %s %s started +%.3f s, ended +%.3f s: %s%s%s",
                    r.operation() == Operation.READ ? "GET" : "POST", r.path(), r.startMs() / 1000, r.endMs() / 1000,
                    r.failureLabel(), r.servedBy() == null ? "" : " (X-Served-By " + r.servedBy() + ")",
                    r.detail().isEmpty() ? "" : ": " + r.detail()));
        }
        if (failed.size() > max) {
            lines.add("... and " + (failed.size() - max) + " more failures");
        }
        return lines;
    }

    static String seconds(double ms) {
        return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }
}
