package com.foobar.netns;

/**
 * keepalived for one balancer: VRRP by unicast to the peer (no multicast needed on the segment), both peers
 * {@code state BACKUP} with {@code nopreempt}, so a recovered balancer never takes the address back and cuts
 * connections a second time; the higher priority only decides the first election.
 * <p>
 * The balancer is judged by its own admin API ({@code /api/status} on loopback, 1 s curl bound) every second; one
 * failure puts the instance in FAULT, which sends priority 0 and the peer takes over at once, without waiting for
 * the master-down interval. VRRPv3 allows a sub-second advertisement interval (0.5 s), so a whole host that dies is
 * noticed in about 1.6 s. The timers follow keepalived's own "fast failover" examples; {@code fall 1} trades a
 * spurious failover (harmless with nopreempt) for speed.
 */
final class KeepalivedConfig {
    static final int VIRTUAL_ROUTER_ID = 51;

    private KeepalivedConfig() {
    }

    static String text(Plan plan, String host) {
        int priority = host.equals("lb1") ? 110 : 100;
        return "global_defs {\n"
                + "  router_id " + plan.namespace(host) + "\n"
                + "  enable_script_security\n"
                + "  script_user root\n"
                + "  vrrp_version 3\n"
                + "  vrrp_garp_master_delay 0\n"
                + "  vrrp_garp_master_repeat 3\n"
                + "}\n"
                + "vrrp_script balancer_alive {\n"
                + "  script \"/usr/bin/curl -fsS -o /dev/null --max-time 1 http://127.0.0.1:" + Plan.ADMIN_PORT
                + "/api/status\"\n"
                + "  interval 1\n"
                + "  timeout 2\n"
                + "  fall 1\n"
                + "  rise 2\n"
                + "}\n"
                + "vrrp_instance foobar_vip {\n"
                + "  state BACKUP\n"
                + "  nopreempt\n"
                + "  interface eth0\n"
                + "  virtual_router_id " + VIRTUAL_ROUTER_ID + "\n"
                + "  priority " + priority + "\n"
                + "  advert_int 0.5\n"
                + "  unicast_src_ip " + plan.address(host) + "\n"
                + "  unicast_peer {\n    " + plan.address(plan.peer(host)) + "\n  }\n"
                + "  virtual_ipaddress {\n    " + plan.vip() + "/24 dev eth0\n  }\n"
                + "  track_script {\n    balancer_alive\n  }\n"
                + "}\n";
    }
}
