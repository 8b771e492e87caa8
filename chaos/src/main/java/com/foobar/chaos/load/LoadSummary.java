package com.foobar.chaos.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a load saw, in the figures a scenario reports: requests and failures by operation and kind, and the worst
 * gap, the longest time in which no request of a kind succeeded.
 */
public final class LoadSummary {

    private final List<RequestRecord> records;

    public LoadSummary(List<RequestRecord> records) {
        this.records = List.copyOf(records);
    }

    public List<RequestRecord> records() {
        return records;
    }

    public long count(Operation op) {
        return records.stream().filter(r -> r.operation() == op).count();
    }

    public long failed(Operation op) {
        return records.stream().filter(r -> r.operation() == op && !r.ok()).count();
    }

    public long failed() {
        return records.stream().filter(r -> !r.ok()).count();
    }

    public List<RequestRecord> failures(Operation op) {
        return records.stream().filter(r -> r.operation() == op && !r.ok()).toList();
    }

    /** Failures by label ({@code 502}, {@code connect}, ...), e.g. {@code {502=3}}. */
    public Map<String, Long> failuresByKind(Predicate<RequestRecord> which) {
        return records.stream().filter(r -> !r.ok()).filter(which)
                .collect(Collectors.groupingBy(RequestRecord::failureLabel, TreeMap::new, Collectors.counting()));
    }

    /** {@code "502×3, connect×1"}, or {@code "none"}. */
    public String describeFailures(Predicate<RequestRecord> which) {
        Map<String, Long> byKind = failuresByKind(which);
        if (byKind.isEmpty()) {
            return "none";
        }
        return byKind.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** The acknowledged writes: the order ids the client was told were placed. */
    public List<Long> acknowledgedOrderIds() {
        return records.stream().filter(RequestRecord::acknowledgedWrite).map(RequestRecord::orderId).toList();
    }

    /**
     * The longest stretch without a successful answer to {@code op}, between the end of one success and the end of the
     * next, from the load's first request to its last answer.
     */
    public Gap worstGap(Operation op) {
        double from = records.stream().mapToDouble(RequestRecord::startMs).min().orElse(0);
        double to = records.stream().mapToDouble(RequestRecord::endMs).max().orElse(0);
        List<Double> ends = records.stream().filter(r -> r.operation() == op && r.ok()).map(RequestRecord::endMs)
                .sorted().toList();
        double prev = from;
        Gap worst = new Gap(from, from);
        for (double end : ends) {
            if (end - prev > worst.lengthMs()) {
                worst = new Gap(prev, end);
            }
            prev = end;
        }
        if (to - prev > worst.lengthMs()) {
            worst = new Gap(prev, to);
        }
        return worst;
    }

    /** A stretch of the scenario's time line, in ms. */
    public record Gap(double fromMs, double toMs) {
        public double lengthMs() {
            return toMs - fromMs;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f ms (+%.1f s to +%.1f s)", lengthMs(), fromMs / 1000, toMs / 1000);
        }
    }

    /** The first successful answer to {@code op} among requests that started at or after {@code ms}. */
    public java.util.Optional<RequestRecord> firstSuccessStartedAfter(Operation op, double ms) {
        return records.stream().filter(r -> r.operation() == op && r.ok() && r.startMs() >= ms).findFirst();
    }
}
