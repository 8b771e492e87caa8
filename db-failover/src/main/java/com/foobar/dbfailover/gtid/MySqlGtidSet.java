package com.foobar.dbfailover.gtid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set, {@code uuid:1-5:7,uuid2[:tag]:1-3} (MySQL 8.4 allows tags), with the set operations a failover
 * tool needs: union, difference, containment. Immutable; intervals are kept sorted and merged.
 */
public final class MySqlGtidSet {
    public static final MySqlGtidSet EMPTY = new MySqlGtidSet(new TreeMap<>());

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");

    /** Source ({@code uuid} or {@code uuid:tag}, lower case) to sorted, disjoint, non-adjacent [first, last] ranges. */
    private final Map<String, List<long[]>> ranges;

    private MySqlGtidSet(Map<String, List<long[]>> ranges) {
        this.ranges = ranges;
    }

    public static MySqlGtidSet parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Map<String, List<long[]>> map = new TreeMap<>();
        for (String member : text.replaceAll("\\s", "").split(",")) {
            if (member.isEmpty()) {
                continue;
            }
            String[] parts = member.split(":");
            if (!UUID.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException("\"" + member + "\" does not start with a server UUID");
            }
            String uuid = parts[0].toLowerCase(Locale.ROOT);
            String key = uuid;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (TAG.matcher(p).matches()) {
                    key = uuid + ":" + p.toLowerCase(Locale.ROOT);
                    continue;
                }
                String[] bounds = p.split("-");
                try {
                    long first = Long.parseLong(bounds[0]);
                    long last = bounds.length == 2 ? Long.parseLong(bounds[1]) : first;
                    if (bounds.length > 2 || first < 1 || last < first) {
                        throw new NumberFormatException();
                    }
                    map.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {first, last});
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + p + "\" in \"" + member + "\" is not an interval like 1-5");
                }
            }
        }
        Map<String, List<long[]>> normal = new TreeMap<>();
        map.forEach((k, v) -> normal.put(k, normalize(v)));
        return new MySqlGtidSet(normal);
    }

    private static List<long[]> normalize(List<long[]> in) {
        List<long[]> sorted = new ArrayList<>(in);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            if (!out.isEmpty() && r[0] <= out.get(out.size() - 1)[1] + 1) {
                long[] last = out.get(out.size() - 1);
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(new long[] {r[0], r[1]});
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public MySqlGtidSet union(MySqlGtidSet other) {
        Map<String, List<long[]>> map = new TreeMap<>();
        ranges.forEach((k, v) -> map.computeIfAbsent(k, x -> new ArrayList<>()).addAll(copy(v)));
        other.ranges.forEach((k, v) -> map.computeIfAbsent(k, x -> new ArrayList<>()).addAll(copy(v)));
        Map<String, List<long[]>> normal = new TreeMap<>();
        map.forEach((k, v) -> normal.put(k, normalize(v)));
        return new MySqlGtidSet(normal);
    }

    /** The transactions in this set and not in {@code other}. */
    public MySqlGtidSet minus(MySqlGtidSet other) {
        Map<String, List<long[]>> map = new TreeMap<>();
        ranges.forEach((k, mine) -> {
            List<long[]> theirs = other.ranges.getOrDefault(k, List.of());
            List<long[]> left = new ArrayList<>();
            for (long[] r : mine) {
                long from = r[0];
                for (long[] t : theirs) {
                    if (t[1] < from || t[0] > r[1]) {
                        continue;
                    }
                    if (t[0] > from) {
                        left.add(new long[] {from, t[0] - 1});
                    }
                    from = Math.max(from, t[1] + 1);
                }
                if (from <= r[1]) {
                    left.add(new long[] {from, r[1]});
                }
            }
            if (!left.isEmpty()) {
                map.put(k, left);
            }
        });
        return new MySqlGtidSet(map);
    }

    public boolean containsAll(MySqlGtidSet other) {
        return other.minus(this).isEmpty();
    }

    public Progress compare(MySqlGtidSet other) {
        return Progress.of(!minus(other).isEmpty(), !other.minus(this).isEmpty());
    }

    /** The number of transactions in the set. */
    public long count() {
        long n = 0;
        for (List<long[]> list : ranges.values()) {
            for (long[] r : list) {
                n += r[1] - r[0] + 1;
            }
        }
        return n;
    }

    private static List<long[]> copy(List<long[]> in) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : in) {
            out.add(new long[] {r[0], r[1]});
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MySqlGtidSet && ((MySqlGtidSet) o).toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** MySQL's own notation, one member per source: {@code uuid:1-5:7,uuid:tag:1-3}. */
    @Override
    public String toString() {
        List<String> members = new ArrayList<>();
        ranges.forEach((k, v) -> {
            StringBuilder sb = new StringBuilder(k);
            for (long[] r : v) {
                sb.append(':').append(r[0]);
                if (r[1] != r[0]) {
                    sb.append('-').append(r[1]);
                }
            }
            members.add(sb.toString());
        });
        return String.join(",", members);
    }
}
