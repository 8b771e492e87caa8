package com.foobar.netns;

/**
 * The seeds' three firewalls as one nftables table per host ({@code inet foobar}, input hook), as a host firewall on
 * each server would be:
 * <ul>
 *   <li>balancers: 80 and 443 from anyone, VRRP from the peer balancer only; the admin port only over loopback;</li>
 *   <li>web servers: their port from the two balancers only;</li>
 *   <li>database nodes: 3306 from the two web servers and from the peer node (replication, either way after a
 *       failover) only.</li>
 * </ul>
 * What no rule accepts is <em>rejected</em> with ICMP "administratively prohibited", not silently dropped: inside a
 * private segment a refused connection should fail at once rather than hang for a connect timeout, and the
 * distinct error proves it was this firewall that refused, not a closed port (TCP reset) or a dead host (timeout).
 * Established and related traffic passes, so every host may still open connections outwards.
 */
final class Firewalls {
    private Firewalls() {
    }

    static String ruleset(Plan plan, String host) {
        String rules = switch (host) {
            case "lb1", "lb2" -> "    tcp dport { 80, 443 } accept\n"
                    + "    ip saddr " + plan.address(plan.peer(host)) + " ip protocol vrrp accept\n";
            case "web1", "web2" -> "    ip saddr { " + plan.address("lb1") + ", " + plan.address("lb2") + " } tcp dport "
                    + Plan.WEB_PORT + " accept\n";
            case "db1", "db2" -> "    ip saddr { " + plan.address("web1") + ", " + plan.address("web2") + " } tcp dport "
                    + Plan.DB_PORT + " accept\n"
                    + "    ip saddr " + plan.address(plan.peer(host)) + " tcp dport " + Plan.DB_PORT + " accept\n";
            default -> throw new IllegalArgumentException(host + " has no firewall");
        };
        return "table inet foobar {\n"
                + "  chain input {\n"
                + "    type filter hook input priority filter; policy drop;\n"
                + "    iif lo accept\n"
                + "    ct state established,related accept\n"
                + "    ct state invalid drop\n"
                + rules
                + "    counter reject with icmpx admin-prohibited\n"
                + "  }\n"
                + "}\n";
    }
}
