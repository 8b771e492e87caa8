package com.foobar.balancer.config;

import java.time.Duration;

/** Durations as people write them in configuration: {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h30m}, {@code 1.5s}. */
public final class Durations {
    private Durations() {
    }

    /** The duration, or null when {@code text} is not one. */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return null;
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        long nanos = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                return null;
            }
            double amount;
            try {
                amount = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                return null;
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            long unitNanos;
            switch (s.substring(unitStart, i)) {
                case "us" -> unitNanos = 1_000L;
                case "ms" -> unitNanos = 1_000_000L;
                case "s" -> unitNanos = 1_000_000_000L;
                case "m" -> unitNanos = 60_000_000_000L;
                case "h" -> unitNanos = 3_600_000_000_000L;
                case "d" -> unitNanos = 86_400_000_000_000L;
                default -> {
                    return null;
                }
            }
            double part = amount * unitNanos;
            if (part > Long.MAX_VALUE / 4.0) {
                return null;
            }
            nanos += (long) part;
        }
        return Duration.ofNanos(nanos);
    }

    /** The shortest exact form: {@code 500ms}, {@code 1s}, {@code 2m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 && !d.isZero()) {
            return d.toNanos() / 1000 + "us";
        }
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
