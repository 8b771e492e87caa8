package com.foobar.overview;

/**
 * Rates and a recent percentile from counters that only grow, as Prometheus's {@code rate} and
 * {@code histogram_quantile} compute them: the difference between two readings over the time between them, and a
 * quantile interpolated linearly inside the bucket it falls in. A counter that went down (its process restarted)
 * counts from zero.
 */
final class Rates {

    private Rates() {
    }

    /** Per second, from {@code before} to {@code now} over {@code seconds}; 0 when there is no earlier reading. */
    static double perSecond(long before, long now, double seconds) {
        if (seconds <= 0 || before < 0) {
            return 0;
        }
        long delta = now >= before ? now - before : now;
        return delta / seconds;
    }

    /**
     * The {@code q} quantile of the observations between two readings of cumulative buckets ({@code counts[i]} is the
     * number at or under {@code bounds[i]}; {@code total} counts the ones above the last bound too); NaN when nothing
     * was observed in between. An observation above the last bound reports the last bound, as the {@code +Inf}
     * bucket of Prometheus does.
     */
    static double quantile(double q, double[] bounds, long[] before, long[] now, long totalBefore, long totalNow) {
        boolean restarted = totalNow < totalBefore;
        long total = restarted ? totalNow : totalNow - totalBefore;
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long below = 0;
        double lower = 0;
        for (int i = 0; i < bounds.length; i++) {
            long inOrUnder = restarted ? now[i] : now[i] - before[i];
            if (inOrUnder >= rank) {
                long inBucket = inOrUnder - below;
                return inBucket == 0 ? bounds[i] : lower + (bounds[i] - lower) * (rank - below) / inBucket;
            }
            below = inOrUnder;
            lower = bounds[i];
        }
        return bounds[bounds.length - 1];
    }
}
