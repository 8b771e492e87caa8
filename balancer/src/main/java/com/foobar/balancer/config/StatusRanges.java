package com.foobar.balancer.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of HTTP status codes written as {@code 200-399}, {@code 200,204} or a mix ({@code 200-299,302}).
 * Lookup is a bit test, so a health check answer costs no parsing.
 */
public final class StatusRanges {
    /** HAProxy's and Envoy's notion of a healthy answer. */
    public static final StatusRanges DEFAULT = parse("200-399");

    private final String text;
    private final long[] bits = new long[10]; // statuses 0..639

    private StatusRanges(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code text} */
    public static StatusRanges parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a status list like 200-399 or 200,204");
        }
        StatusRanges ranges = new StatusRanges(trimmed.replace(" ", ""));
        for (String part : trimmed.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            int from;
            int to;
            try {
                if (dash < 0) {
                    from = to = Integer.parseInt(p);
                } else {
                    from = Integer.parseInt(p.substring(0, dash).trim());
                    to = Integer.parseInt(p.substring(dash + 1).trim());
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" is not a status list like 200-399 or 200,204");
            }
            if (from < 100 || to > 599 || from > to) {
                throw new IllegalArgumentException("\"" + p + "\" is not a status range within 100-599");
            }
            for (int s = from; s <= to; s++) {
                ranges.bits[s >>> 6] |= 1L << (s & 63);
            }
        }
        return ranges;
    }

    public boolean contains(int status) {
        return status >= 0 && status < 640 && (bits[status >>> 6] & (1L << (status & 63))) != 0;
    }

    /** The codes as a list of inclusive [from, to] pairs, for display. */
    public List<int[]> ranges() {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        for (int s = 100; s <= 600; s++) {
            boolean in = s < 600 && contains(s);
            if (in && start < 0) {
                start = s;
            } else if (!in && start >= 0) {
                out.add(new int[] {start, s - 1});
                start = -1;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusRanges other && java.util.Arrays.equals(bits, other.bits);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return text;
    }
}
