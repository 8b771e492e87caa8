package com.foobar.devdb;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/** Progress lines and the node table: long work shows what it is doing. */
final class DevDbConsole {
    private static final PrintStream OUT = System.out;

    private DevDbConsole() {
    }

    static void progress(String line) {
        OUT.println("[devdb] " + line);
        OUT.flush();
    }

    static String table(List<? extends DbNode> nodes, String user, Duration took) {
        StringBuilder sb = new StringBuilder();
        int nameWidth = "node".length();
        int urlWidth = "jdbc url".length();
        for (DbNode n : nodes) {
            nameWidth = Math.max(nameWidth, n.name().length());
            urlWidth = Math.max(urlWidth, n.jdbcUrl().length());
        }
        String format = "  %-" + nameWidth + "s  %-9s  %-5s  %-" + urlWidth + "s%n";
        sb.append(String.format(format, "node", "server_id", "port", "jdbc url"));
        for (DbNode n : nodes) {
            sb.append(String.format(format, n.name(), n.serverId(), n.port(), n.jdbcUrl()));
        }
        sb.append("  user: ").append(user).append("   ready in ").append(took.toMillis()).append(" ms");
        return sb.toString();
    }
}
