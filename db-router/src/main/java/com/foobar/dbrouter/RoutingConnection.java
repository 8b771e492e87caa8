package com.foobar.dbrouter;

import com.foobar.dbrouter.codegen.Delegating;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection {@link RoutingDataSource#getConnection()} hands out. It holds no physical connection until first
 * used; then it takes one from a replica when marked read-only, else from the primary. Switching read-only between
 * transactions releases the physical connection, so the next use goes to the other side. Session settings made on it
 * (auto-commit, isolation, catalog) are replayed onto whichever physical connection it binds.
 *
 * <p>Only those methods are written here; every other call binds and is delegated by the generated
 * {@code GeneratedRoutingConnection}. Like any JDBC connection it is used by one thread at a time, so it takes no lock.
 */
@Delegating(Connection.class)
abstract class RoutingConnection extends RoutedConnection {
    private final RoutingDataSource router;
    private boolean readOnly;
    private boolean autoCommit = true;
    private int isolation = -1;
    private String catalog;
    private boolean closed;
    private RoutingDataSource.Lease lease;
    private NodeCalls calls;

    RoutingConnection(RoutingDataSource router) {
        this.router = router;
    }

    static Connection open(RoutingDataSource router) {
        return new GeneratedRoutingConnection(router);
    }

    @Override
    public final String nodeName() {
        return lease == null ? null : lease.node().name();
    }

    /** Binds now if not bound yet (so that asking which node serves it has an answer), and names the node. */
    final String bindAndName() throws SQLException {
        ensureOpen();
        return bind().node().name();
    }

    @Override
    final NodeCalls calls() {
        return calls;
    }

    /** The bound physical connection, for a call the session makes now. */
    @Override
    final Connection delegate() throws SQLException {
        ensureOpen();
        return bind().physical();
    }

    @Override
    public final void setReadOnly(boolean wanted) throws SQLException {
        ensureOpen();
        if (wanted == readOnly) {
            return;
        }
        if (lease != null) {
            if (!autoCommit) {
                // Switching nodes mid-transaction would split it across servers.
                throw new SQLException("cannot change read-only inside a transaction: commit or roll back first", "25000");
            }
            releaseLease();
        }
        readOnly = wanted;
    }

    @Override
    public final boolean isReadOnly() throws SQLException {
        ensureOpen();
        return readOnly;
    }

    @Override
    public final void setAutoCommit(boolean wanted) throws SQLException {
        ensureOpen();
        if (lease != null) {
            try {
                lease.physical().setAutoCommit(wanted);
            } catch (SQLException e) {
                throw failed(e);
            }
        }
        autoCommit = wanted;
    }

    @Override
    public final boolean getAutoCommit() throws SQLException {
        ensureOpen();
        return autoCommit;
    }

    @Override
    public final void commit() throws SQLException {
        ensureOpen();
        if (lease == null) {
            return;
        }
        try {
            lease.physical().commit();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public final void rollback() throws SQLException {
        ensureOpen();
        if (lease == null) {
            return;
        }
        try {
            lease.physical().rollback();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public final void setTransactionIsolation(int level) throws SQLException {
        ensureOpen();
        if (lease != null) {
            try {
                lease.physical().setTransactionIsolation(level);
            } catch (SQLException e) {
                throw failed(e);
            }
        }
        isolation = level;
    }

    @Override
    public final void setCatalog(String name) throws SQLException {
        ensureOpen();
        if (lease != null) {
            try {
                lease.physical().setCatalog(name);
            } catch (SQLException e) {
                throw failed(e);
            }
        }
        catalog = name;
    }

    @Override
    public final void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        releaseLease();
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final boolean isValid(int timeout) throws SQLException {
        if (closed) {
            return false;
        }
        Connection c = delegate();
        try {
            return c.isValid(timeout);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public final String toString() {
        return "RoutingConnection[" + (lease == null ? "unbound" : lease.node().name())
                + (readOnly ? ", read-only" : "") + "]";
    }

    private RoutingDataSource.Lease bind() throws SQLException {
        if (lease == null) {
            RoutingDataSource.Lease l = readOnly ? router.leaseForRead() : router.leaseForWrite();
            NodeCalls c = NodeCalls.routed(router, l.node(), !readOnly);
            try {
                Connection physical = l.physical();
                if (!autoCommit) {
                    physical.setAutoCommit(false);
                }
                if (isolation != -1) {
                    physical.setTransactionIsolation(isolation);
                }
                if (catalog != null) {
                    physical.setCatalog(catalog);
                }
            } catch (SQLException e) {
                SQLException seen = c.failed(e);
                l.release();
                throw seen;
            }
            lease = l;
            calls = c;
        }
        return lease;
    }

    private void releaseLease() throws SQLException {
        RoutingDataSource.Lease l = lease;
        lease = null;
        calls = null;
        if (l != null) {
            l.release();
        }
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed", "08003");
        }
    }
}
