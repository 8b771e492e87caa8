package com.foobar.bench.report;

import java.util.Arrays;
import java.util.List;

/** Order statistics over a handful of rounds. Medians, because one noisy round must not move the figure. */
public final class Stats {

    private Stats() {
    }

    /** The median, the mean of the two middle values for an even count; NaN for no values. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /** a / b, or NaN when either is missing or b is zero. */
    public static double ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0.0) {
            return Double.NaN;
        }
        return a / b;
    }
}
