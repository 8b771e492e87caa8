package com.foobar.netns;

import java.nio.file.Path;

/**
 * The one balancer configuration both lb1 and lb2 run: HTTPS on 443 (the generated certificate), port 80 answering
 * 308 to HTTPS, the two web servers by address with active health checks, the admin API on loopback only (where
 * keepalived's check asks it). Binding 0.0.0.0 lets the standby listen before it holds the virtual IP.
 */
final class BalancerConfig {
    private BalancerConfig() {
    }

    static String yaml(Plan plan, Path cert, Path key, Path dataDir) {
        return "# lb1 and lb2 run this same file (netns module)\n"
                + "listeners:\n"
                + "  - name: https\n"
                + "    bind: 0.0.0.0:443\n"
                + "    tls:\n"
                + "      certificates:\n"
                + "        - { cert: " + cert + ", key: " + key + " }\n"
                + "    routes:\n"
                + "      - hosts: [www.foobar.com, foobar.com]\n"
                + "        pool: web\n"
                + "  - name: http\n"
                + "    bind: 0.0.0.0:80\n"
                + "    redirect_to_https: 443\n"
                + "pools:\n"
                + "  web:\n"
                + "    algorithm: round-robin\n"
                + "    servers:\n"
                + "      - { name: web-1, address: " + plan.address("web1") + ":" + Plan.WEB_PORT + " }\n"
                + "      - { name: web-2, address: " + plan.address("web2") + ":" + Plan.WEB_PORT + " }\n"
                + "    health_check: { path: /health, interval: 1s, timeout: 500ms, rise: 2, fall: 2 }\n"
                + "    connect_timeout: 1s\n"
                + "admin:\n"
                + "  bind: 127.0.0.1:" + Plan.ADMIN_PORT + "\n"
                + "data_dir: " + dataDir + "\n"
                + "access_log: off\n";
    }
}
