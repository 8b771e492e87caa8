package com.foobar.overview;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The last few minutes of the whole system, one sample a poll, in columns as uPlot draws them ({@code t} in epoch
 * seconds, then one array per series, {@code null} where a value is unknown). A ring: the oldest sample goes when
 * a new one comes.
 */
final class Series {
    static final String[] NAMES = {"req_s", "errors_s", "p99_ms", "lag_s"};

    private final double[] t;
    private final double[][] values;
    private int next;
    private int size;

    Series(int capacity) {
        t = new double[capacity];
        values = new double[NAMES.length][capacity];
    }

    /** One sample; NaN for a value that is unknown (no request in the window, no replica reporting lag). */
    void add(double epochSeconds, double... sample) {
        t[next] = epochSeconds;
        for (int i = 0; i < NAMES.length; i++) {
            values[i][next] = sample[i];
        }
        next = (next + 1) % t.length;
        size = Math.min(size + 1, t.length);
    }

    ObjectNode json() {
        ObjectNode out = Assembler.JSON.createObjectNode();
        ArrayNode times = out.putArray("t");
        ArrayNode[] columns = new ArrayNode[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            columns[i] = out.putArray(NAMES[i]);
        }
        int start = (next - size + t.length) % t.length;
        for (int k = 0; k < size; k++) {
            int at = (start + k) % t.length;
            times.add(Math.round(t[at] * 1000) / 1000.0);
            for (int i = 0; i < NAMES.length; i++) {
                double v = values[i][at];
                if (Double.isNaN(v)) {
                    columns[i].addNull();
                } else {
                    columns[i].add(Math.round(v * 100) / 100.0);
                }
            }
        }
        return out;
    }
}
