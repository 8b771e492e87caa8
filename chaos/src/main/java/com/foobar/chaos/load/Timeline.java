package com.foobar.chaos.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Requests per 100 ms bucket, by the time they started: successes, and failures by kind (an HTTP status such as
 * {@code 502}, {@code connect}, {@code timeout}, {@code io}, {@code not-sent}). Bucketing by start puts a failure at the
 * moment its request met the fault, not seconds later when its timeout ran out.
 */
public final class Timeline {

    public static final double BUCKET_MS = 100;

    /** One bucket: {@code startMs} to {@code startMs + 100}. */
    public record Bucket(double startMs, int ok, Map<String, Integer> failures) {
        public int failed() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final List<Bucket> buckets;
    private final List<String> failureLabels;

    private Timeline(List<Bucket> buckets, List<String> failureLabels) {
        this.buckets = buckets;
        this.failureLabels = failureLabels;
    }

    /** Buckets from the first request's to the last one's, empty ones included. */
    public static Timeline of(List<RequestRecord> records) {
        if (records.isEmpty()) {
            return new Timeline(List.of(), List.of());
        }
        TreeMap<Long, int[]> ok = new TreeMap<>();
        TreeMap<Long, Map<String, Integer>> failed = new TreeMap<>();
        TreeSet<String> labels = new TreeSet<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (RequestRecord r : records) {
            long index = (long) Math.floor(r.startMs() / BUCKET_MS);
            first = Math.min(first, index);
            last = Math.max(last, index);
            if (r.ok()) {
                ok.computeIfAbsent(index, k -> new int[1])[0]++;
            } else {
                labels.add(r.failureLabel());
                failed.computeIfAbsent(index, k -> new TreeMap<>()).merge(r.failureLabel(), 1, Integer::sum);
            }
        }
        List<Bucket> buckets = new ArrayList<>();
        for (long i = first; i <= last; i++) {
            int[] n = ok.get(i);
            buckets.add(new Bucket(i * BUCKET_MS, n == null ? 0 : n[0], failed.getOrDefault(i, Map.of())));
        }
        return new Timeline(List.copyOf(buckets), List.copyOf(labels));
    }

    public List<Bucket> buckets() {
        return buckets;
    }

    /** Every failure label that occurs, sorted. */
    public List<String> failureLabels() {
        return failureLabels;
    }
}
