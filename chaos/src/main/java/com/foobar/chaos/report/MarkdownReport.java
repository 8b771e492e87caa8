package com.foobar.chaos.report;

import com.foobar.chaos.scenario.Mark;
import com.foobar.chaos.scenario.ScenarioResult;
import com.foobar.chaos.scenario.Verdict;
import java.util.List;
import java.util.Locale;

/** {@code latest.md}: the table of scenarios (goal, measured, result), then each scenario's details and plot. */
public final class MarkdownReport {

    /**
     * What the report says about the run as a whole.
     *
     * @param commit    the commit measured
     * @param form      {@code short} or {@code full}
     * @param target    the target's description
     * @param machine   CPUs, memory, kernel
     * @param load      the machine's load average before, at most during, and after
     * @param profile   the load, in words
     * @param wallSeconds how long the run took
     */
    public record Run(String commit, String form, String target, String machine, String load, String profile,
                      long wallSeconds, String generatedAt, List<String> notes) {
    }

    private MarkdownReport() {
    }

    public static String render(Run run, List<ScenarioResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("# Chaos results\n\n");
        md.append("Written by `chaos/run` (").append(run.form()).append(" form) at ").append(run.generatedAt())
                .append(" on commit `").append(run.commit()).append("`, in ").append(run.wallSeconds())
                .append(" s.\n\n");
        md.append("- Target: ").append(run.target()).append("\n");
        md.append("- Machine: ").append(run.machine()).append("\n");
        md.append("- Load average (1 min): ").append(run.load()).append("\n");
        md.append("- Load: ").append(run.profile()).append("\n\n");
        md.append("| Scenario | Goal | Measured | Result |\n|---|---|---|---|\n");
        for (ScenarioResult r : results) {
            md.append("| ").append(r.name()).append(" | ").append(cell(r.goal())).append(" | ")
                    .append(cell(r.measured())).append(" | ").append(verdict(r.verdict())).append(" |\n");
        }
        long passed = results.stream().filter(r -> r.verdict() == Verdict.PASS).count();
        long failed = results.stream().filter(r -> r.verdict() == Verdict.FAIL).count();
        long unavailable = results.stream().filter(r -> r.verdict() == Verdict.NOT_AVAILABLE).count();
        md.append("\n").append(passed).append(" passed, ").append(failed).append(" failed, ").append(unavailable)
                .append(" not available in this stack.\n");
        for (String note : run.notes()) {
            md.append("\n").append(note).append("\n");
        }
        for (ScenarioResult r : results) {
            md.append("\n## ").append(r.name()).append(": ").append(verdict(r.verdict())).append("\n\n");
            md.append("Goal: ").append(r.goal()).append("\n\n");
            md.append("Measured: ").append(r.measured()).append("\n");
            if (!r.marks().isEmpty()) {
                md.append("\nTime line:\n\n");
                for (Mark m : r.marks()) {
                    md.append(String.format(Locale.ROOT, "- +%.2f s: %s%n", m.ms() / 1000, m.label()));
                }
            }
            if (!r.details().isEmpty()) {
                md.append("\nDetails:\n\n");
                for (String d : r.details()) {
                    md.append("- ").append(d).append("\n");
                }
            }
            if (!r.records().isEmpty()) {
                md.append("\n![").append(r.name()).append(": requests per 100 ms](").append(r.name())
                        .append(".png)\n");
            }
        }
        return md.toString();
    }

    static String verdict(Verdict v) {
        return switch (v) {
            case PASS -> "pass";
            case FAIL -> "**FAIL**";
            case NOT_AVAILABLE -> "not available";
        };
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
