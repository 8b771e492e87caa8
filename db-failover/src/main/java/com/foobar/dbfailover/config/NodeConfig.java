package com.foobar.dbfailover.config;

/**
 * One database node.
 *
 * @param name               how reports name it ({@code primary}, {@code replica-1}, {@code db-2})
 * @param host               where the decider connects to it
 * @param replicationHost    where the other nodes connect to it when it is their primary (differs from {@code host}
 *                           when the decider sees the node through a published port); how the decider recognises
 *                           which node a replica replicates from
 * @param candidate          whether it may be promoted (MHA's {@code no_master}, Orchestrator's promotion rules)
 */
public record NodeConfig(String name, String host, int port, String replicationHost, int replicationPort,
                         boolean candidate) {

    public NodeConfig(String name, String host, int port) {
        this(name, host, port, host, port, true);
    }

    public String address() {
        return hostPort(host, port);
    }

    public String replicationAddress() {
        return hostPort(replicationHost, replicationPort);
    }

    /** Whether a replica whose source is {@code sourceHost:sourcePort} replicates from this node. */
    public boolean isSource(String sourceHost, int sourcePort) {
        return sourcePort == replicationPort && replicationHost.equalsIgnoreCase(sourceHost);
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
