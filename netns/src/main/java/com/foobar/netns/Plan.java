package com.foobar.netns;

import java.util.List;

/**
 * Names and addresses of one run: a namespace per host, named {@code fbn<pid>-<host>} so that two runs never collide
 * and a run killed earlier is recognised by its dead pid; one /24 in 10.231.0.0/16, away from Docker's 172.17-31.
 * The bridge lives in a namespace of its own, so nothing of the topology is reachable from the machine itself.
 */
public record Plan(String prefix, int subnetOctet) {
    public static final String NAME_PREFIX = "fbn";
    public static final int WEB_PORT = 8080;
    public static final int DB_PORT = 3306;
    public static final int ADMIN_PORT = 9090;
    public static final List<String> HOSTS = List.of("client", "lb1", "lb2", "web1", "web2", "db1", "db2");

    /** The plan of this JVM: prefix {@code fbn<pid>-}, subnet 10.231.(20 + pid % 200).0/24. */
    public static Plan forThisProcess() {
        long pid = ProcessHandle.current().pid();
        return new Plan(NAME_PREFIX + pid + "-", 20 + (int) (pid % 200));
    }

    public String namespace(String host) {
        return prefix + host;
    }

    public String bridgeNamespace() {
        return prefix + "br";
    }

    public String subnet() {
        return "10.231." + subnetOctet + ".0/24";
    }

    /** client .10, lb1 .11, lb2 .12, web1 .21, web2 .22, db1 .31, db2 .32; the virtual IP .100. */
    public String address(String host) {
        int last = switch (host) {
            case "client" -> 10;
            case "lb1" -> 11;
            case "lb2" -> 12;
            case "web1" -> 21;
            case "web2" -> 22;
            case "db1" -> 31;
            case "db2" -> 32;
            default -> throw new IllegalArgumentException("no host " + host);
        };
        return "10.231." + subnetOctet + "." + last;
    }

    public String vip() {
        return "10.231." + subnetOctet + ".100";
    }

    public String peer(String host) {
        return switch (host) {
            case "lb1" -> "lb2";
            case "lb2" -> "lb1";
            case "web1" -> "web2";
            case "web2" -> "web1";
            case "db1" -> "db2";
            case "db2" -> "db1";
            default -> throw new IllegalArgumentException(host + " has no peer");
        };
    }
}
