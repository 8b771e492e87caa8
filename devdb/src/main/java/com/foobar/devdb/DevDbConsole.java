package com.foobar.devdb;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/** Progress lines and the node table: long work shows what it is doing. */
final class DevDbConsole {
    private static volatile PrintStream out = System.out;

    private DevDbConsole() {
    }

    static void progress(String line) {
        PrintStream o = out;
        o.println("[devdb] " + line);
        o.flush();
    }

    /** Where progress goes; tests read it. Returns the previous stream. */
    static PrintStream redirect(PrintStream to) {
        PrintStream old = out;
        out = to;
        return old;
    }

    static String table(List<? extends DbNode> nodes, String user, Duration took) {
        StringBuilder sb = new StringBuilder();
        int nameWidth = "node".length();
        int urlWidth = "jdbc url".length();
        for (DbNode n : nodes) {
            nameWidth = Math.max(nameWidth, n.name().length());
            urlWidth = Math.max(urlWidth, n.jdbcUrl().length());
        }
        String format = "  %-" + nameWidth + "s  %-9s  %-5s  %-7s  %-" + urlWidth + "s%n";
        sb.append(String.format(format, "node", "server_id", "port", "pid", "jdbc url"));
        for (DbNode n : nodes) {
            sb.append(String.format(format, n.name(), n.serverId(), n.port(),
                    n.pid().isPresent() ? Long.toString(n.pid().getAsLong()) : "-", n.jdbcUrl()));
        }
        sb.append("  user: ").append(user).append("   ready in ").append(took.toMillis()).append(" ms");
        return sb.toString();
    }
}
