package com.foobar.devdb;

import java.util.List;

/** The started servers of one engine, before (and after) DevDb wires replication between them. */
interface Cluster {
    Engine engine();

    Node primary();

    List<Node> replicas();

    /** Stops every server; removes the data when it was temporary. */
    void close();
}
