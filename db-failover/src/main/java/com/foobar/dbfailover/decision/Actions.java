package com.foobar.dbfailover.decision;

import com.foobar.dbfailover.config.FailoverConfig;
import com.foobar.dbfailover.config.NodeConfig;
import com.foobar.dbfailover.probe.Jdbc;
import com.foobar.dbfailover.probe.Reading;
import com.foobar.dbfailover.sql.Flavor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The decider's statements, each on a connection of its own, bounded in time. */
final class Actions {
    private final FailoverConfig config;
    private final Supplier<Flavor> flavor;

    Actions(FailoverConfig config, Supplier<Flavor> flavor) {
        this.config = config;
        this.flavor = flavor;
    }

    Flavor flavor() {
        return flavor.get();
    }

    void run(NodeConfig node, String... statements) throws SQLException {
        run(node, List.of(statements));
    }

    void run(NodeConfig node, List<String> statements) throws SQLException {
        try (Connection c = Jdbc.connect(node, config, config.probeTimeout().plusSeconds(10));
             Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    Reading read(NodeConfig node) throws SQLException {
        try (Connection c = Jdbc.connect(node, config, config.probeTimeout().plusSeconds(10))) {
            return flavor.get().read(c);
        }
    }

    /** Whether the node answers a query within the probe timeout, on a new connection. */
    boolean answers(NodeConfig node) {
        try (Connection c = Jdbc.connect(node, config, config.probeTimeout()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    /** Waits until the node has applied {@code gtids}; false when {@code timeout} passed first. */
    boolean awaitApplied(NodeConfig node, String gtids, Duration timeout) throws SQLException {
        try (Connection c = Jdbc.connect(node, config, timeout.plusSeconds(10));
             PreparedStatement ps = c.prepareStatement(flavor.get().waitForApplied())) {
            ps.setString(1, gtids);
            ps.setLong(2, Math.max(1, timeout.toSeconds()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 0;
            }
        }
    }

    /**
     * Points a node at a new source, by GTID: stop, (a former primary: align its position with its binlog), change
     * source, semi-sync replica side when asked, start. It stays read-only: a replica's fence is its configuration's
     * read_only, and a former primary was fenced on first contact.
     */
    void attach(NodeConfig node, NodeConfig source, boolean formerPrimary, boolean semiSync) throws SQLException {
        Flavor f = flavor.get();
        List<String> statements = new ArrayList<>();
        statements.add(f.stopReplication());
        if (formerPrimary) {
            statements.addAll(f.alignBeforeAttach());
        }
        statements.add(f.changeSource(source.replicationHost(), source.replicationPort(), config.replicationUser(),
                config.replicationPassword(), config.replicationSsl()));
        if (semiSync) {
            statements.addAll(f.semiSyncSource(false));
            statements.addAll(f.semiSyncReplica());
        }
        statements.add(f.startReplication());
        run(node, statements);
    }
}
