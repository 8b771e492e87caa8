package com.foobar.balancer.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds balancer YAML for tests: one listener {@code public} and the admin listener on ephemeral loopback ports,
 * access log off, and pools of {@link TestBackend}s.
 */
public final class BalancerYaml {

    private final List<String> routes = new ArrayList<>();
    private final StringBuilder pools = new StringBuilder();
    private String defaultPool;
    private String clientTimeouts = "";
    private String accessLog = "off";
    private String listenerBind = "127.0.0.1:0";
    private String topLevel = "";

    public static BalancerYaml create() {
        return new BalancerYaml();
    }

    public BalancerYaml route(String hostsYaml, String pathPrefix, String pool) {
        routes.add("      - { " + (hostsYaml == null ? "" : "hosts: " + hostsYaml + ", ") + "path_prefix: " + pathPrefix
                + ", pool: " + pool + " }\n");
        return this;
    }

    public BalancerYaml defaultPool(String pool) {
        this.defaultPool = pool;
        return this;
    }

    public BalancerYaml clientTimeouts(String header, String idle) {
        this.clientTimeouts = "client_timeouts: { header: " + header + ", idle: " + idle + " }\n";
        return this;
    }

    public BalancerYaml clientTimeouts(String header, String idle, String send) {
        this.clientTimeouts = "client_timeouts: { header: " + header + ", idle: " + idle + ", send: " + send + " }\n";
        return this;
    }

    public BalancerYaml accessLog(String target) {
        this.accessLog = target;
        return this;
    }

    /** More top-level YAML lines, e.g. {@code "trusted_proxies: [127.0.0.1]\n"}. */
    public BalancerYaml topLevel(String yamlLines) {
        this.topLevel += yamlLines;
        return this;
    }

    public BalancerYaml listenerBind(String bind) {
        this.listenerBind = bind;
        return this;
    }

    /**
     * Adds a pool. {@code extra} is more pool keys as YAML lines indented by 4 (e.g. {@code "    retries: 1\n"}).
     * Servers are {@code name=address} or {@code name=address;weight} or with a trailing {@code ;backup}.
     */
    public BalancerYaml pool(String name, String extra, String... servers) {
        pools.append("  ").append(name).append(":\n");
        if (servers.length > 0) { // none: a pool whose servers all come from its discover name
            pools.append("    servers:\n");
        }
        for (String s : servers) {
            String[] nameAddr = s.split("=", 2);
            String[] parts = nameAddr[1].split(";");
            pools.append("      - { name: ").append(nameAddr[0]).append(", address: \"").append(parts[0]).append('"');
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].equals("backup")) {
                    pools.append(", backup: true");
                } else {
                    pools.append(", weight: ").append(parts[i]);
                }
            }
            pools.append(" }\n");
        }
        if (extra != null) {
            pools.append(extra);
        }
        return this;
    }

    public BalancerYaml pool(String name, String extra, TestBackend... backends) {
        String[] s = new String[backends.length];
        for (int i = 0; i < backends.length; i++) {
            s[i] = backends[i].name() + "=" + backends[i].address();
        }
        return pool(name, extra, s);
    }

    public String build() {
        StringBuilder sb = new StringBuilder();
        sb.append("listeners:\n  - name: public\n    bind: \"").append(listenerBind).append("\"\n");
        if (!routes.isEmpty()) {
            sb.append("    routes:\n");
            routes.forEach(sb::append);
        }
        if (defaultPool != null) {
            sb.append("    default_pool: ").append(defaultPool).append('\n');
        }
        sb.append("pools:\n").append(pools);
        sb.append("admin:\n  bind: \"127.0.0.1:0\"\n");
        sb.append(clientTimeouts);
        sb.append("access_log: ").append(accessLog).append('\n');
        sb.append(topLevel);
        return sb.toString();
    }
}
