package com.foobar.netns;

import java.util.ArrayList;
import java.util.List;

/** What the topology needs from the machine: root (network namespaces, nftables), iproute2, nftables, keepalived. */
public final class Requirements {
    private Requirements() {
    }

    /** Null when everything is there; else one sentence saying what is missing and how to get it. */
    public static String unmetReason() {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (network namespaces, nftables); runs as " + System.getProperty("user.name");
        }
        for (String[] tool : new String[][] {{"ip", "iproute2"}, {"nft", "nftables"}, {"keepalived", "keepalived"},
                {"curl", "curl"}, {"openssl", "openssl"}}) {
            if (!Commands.onPath(tool[0])) {
                missing.add(tool[0] + " (Debian package " + tool[1] + ")");
            }
        }
        if (!missing.isEmpty()) {
            return "missing " + String.join(", ", missing) + ": apt-get install iproute2 nftables keepalived curl openssl";
        }
        Commands.Result probe = Commands.run("ip", "netns", "list");
        if (!probe.ok()) {
            return "ip netns does not work here: " + probe.output();
        }
        return null;
    }
}
