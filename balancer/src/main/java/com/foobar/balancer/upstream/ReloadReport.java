package com.foobar.balancer.upstream;

import java.util.ArrayList;
import java.util.List;

/**
 * What a reload changed, what it could not change without a restart (such as a bind address), or why it was rejected
 * (an invalid new file keeps the old configuration). Each entry is one human-readable line, e.g.
 * {@code pools.web.servers.web-3: added at 127.0.0.1:8083} or
 * {@code admin.bind: 127.0.0.1:9090 -> 127.0.0.1:9091 needs a restart}.
 *
 * @param error the field-path error of a rejected reload; null when the reload was accepted
 */
public record ReloadReport(List<String> applied, List<String> restartRequired, String error) {
    public static final ReloadReport EMPTY = new ReloadReport(List.of(), List.of());

    public ReloadReport {
        applied = List.copyOf(applied);
        restartRequired = List.copyOf(restartRequired);
    }

    public ReloadReport(List<String> applied, List<String> restartRequired) {
        this(applied, restartRequired, null);
    }

    /** A reload refused as a whole, e.g. {@code pools.web.servers[1].address: "web-2:80x" is not host:port}. */
    public static ReloadReport rejected(String error) {
        return new ReloadReport(List.of(), List.of(), error);
    }

    public boolean rejected() {
        return error != null;
    }

    public boolean changed() {
        return !applied.isEmpty();
    }

    public boolean needsRestart() {
        return !restartRequired.isEmpty();
    }

    /** This report followed by {@code other}'s lines; the first error wins. */
    public ReloadReport merge(ReloadReport other) {
        List<String> a = new ArrayList<>(applied);
        a.addAll(other.applied);
        List<String> r = new ArrayList<>(restartRequired);
        r.addAll(other.restartRequired);
        return new ReloadReport(a, r, error != null ? error : other.error);
    }

    @Override
    public String toString() {
        if (applied.isEmpty() && restartRequired.isEmpty() && error == null) {
            return "no changes";
        }
        StringBuilder sb = new StringBuilder();
        if (error != null) {
            sb.append("rejected: ").append(error).append('\n');
        }
        applied.forEach(l -> sb.append("applied: ").append(l).append('\n'));
        restartRequired.forEach(l -> sb.append("needs restart: ").append(l).append('\n'));
        return sb.substring(0, sb.length() - 1);
    }
}
