package com.foobar.dbrouter;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The connection {@link RoutingDataSource#getConnection()} hands out. It holds no physical connection until first
 * used; then it takes one from a replica when marked read-only, else from the primary. Switching read-only between
 * transactions releases the physical connection, so the next use goes to the other side. Session settings made on it
 * (auto-commit, isolation, catalog) are replayed onto whichever physical connection it binds.
 *
 * <p>Hand-written rather than a JDK proxy: it is on the path of every query made through the DataSource.
 */
final class RoutingConnection implements Connection, Routed {
    private final RoutingDataSource router;
    private boolean readOnly;
    private boolean autoCommit = true;
    private int isolation = -1;
    private String catalog;
    private boolean closed;
    private RoutingDataSource.Lease lease;

    RoutingConnection(RoutingDataSource router) {
        this.router = router;
    }

    @Override
    public synchronized String nodeName() {
        return lease == null ? null : lease.node().name();
    }

    /** Binds now if not bound yet (so that asking which node serves it has an answer), and names the node. */
    synchronized String bindAndName() throws SQLException {
        ensureOpen();
        return bind().node().name();
    }

    @Override
    public synchronized void setReadOnly(boolean wanted) throws SQLException {
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
    public synchronized boolean isReadOnly() throws SQLException {
        ensureOpen();
        return readOnly;
    }

    @Override
    public synchronized void setAutoCommit(boolean wanted) throws SQLException {
        ensureOpen();
        if (lease != null) {
            RoutingDataSource.Lease l = lease;
            try {
                l.physical().setAutoCommit(wanted);
            } catch (SQLException e) {
                router.failed(l.node(), e);
                throw e;
            }
        }
        autoCommit = wanted;
    }

    @Override
    public synchronized boolean getAutoCommit() throws SQLException {
        ensureOpen();
        return autoCommit;
    }

    @Override
    public synchronized void commit() throws SQLException {
        ensureOpen();
        RoutingDataSource.Lease l = lease;
        if (l == null) {
            return;
        }
        try {
            l.physical().commit();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw failures(l).translate(e);
        }
    }

    @Override
    public synchronized void rollback() throws SQLException {
        ensureOpen();
        RoutingDataSource.Lease l = lease;
        if (l == null) {
            return;
        }
        try {
            l.physical().rollback();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void setTransactionIsolation(int level) throws SQLException {
        ensureOpen();
        if (lease != null) {
            RoutingDataSource.Lease l = lease;
            try {
                l.physical().setTransactionIsolation(level);
            } catch (SQLException e) {
                router.failed(l.node(), e);
                throw e;
            }
        }
        isolation = level;
    }

    @Override
    public synchronized void setCatalog(String name) throws SQLException {
        ensureOpen();
        if (lease != null) {
            RoutingDataSource.Lease l = lease;
            try {
                l.physical().setCatalog(name);
            } catch (SQLException e) {
                router.failed(l.node(), e);
                throw e;
            }
        }
        catalog = name;
    }

    @Override
    public synchronized void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        releaseLease();
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized boolean isValid(int timeout) throws SQLException {
        if (closed) {
            return false;
        }
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().isValid(timeout);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized String toString() {
        return "RoutingConnection[" + (lease == null ? "unbound" : lease.node().name())
                + (readOnly ? ", read-only" : "") + "]";
    }

    @Override
    public synchronized <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().unwrap(iface);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return true;
        }
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().isWrapperFor(iface);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void setClientInfo(String name, String value) throws SQLClientInfoException {
        RoutingDataSource.Lease l = useForClientInfo();
        try {
            l.physical().setClientInfo(name, value);
        } catch (SQLClientInfoException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void setClientInfo(Properties properties) throws SQLClientInfoException {
        RoutingDataSource.Lease l = useForClientInfo();
        try {
            l.physical().setClientInfo(properties);
        } catch (SQLClientInfoException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void abort(Executor p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().abort(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void beginRequest() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().beginRequest();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void clearWarnings() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().clearWarnings();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Array createArrayOf(String p0, Object[] p1) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().createArrayOf(p0, p1);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Blob createBlob() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().createBlob();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Clob createClob() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().createClob();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized NClob createNClob() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().createNClob();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized SQLXML createSQLXML() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().createSQLXML();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Statement createStatement() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().createStatement(), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Statement createStatement(int p0, int p1, int p2) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().createStatement(p0, p1, p2), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Statement createStatement(int p0, int p1) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().createStatement(p0, p1), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Struct createStruct(String p0, Object[] p1) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().createStruct(p0, p1);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void endRequest() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().endRequest();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized String getCatalog() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getCatalog();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Properties getClientInfo() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getClientInfo();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized String getClientInfo(String p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getClientInfo(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized int getHoldability() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getHoldability();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized DatabaseMetaData getMetaData() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getMetaData();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized int getNetworkTimeout() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getNetworkTimeout();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized String getSchema() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getSchema();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized int getTransactionIsolation() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getTransactionIsolation();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Map<String, Class<?>> getTypeMap() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getTypeMap();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized SQLWarning getWarnings() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().getWarnings();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized String nativeSQL(String p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().nativeSQL(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized CallableStatement prepareCall(String p0, int p1, int p2, int p3) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().prepareCall(p0, p1, p2, p3), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized CallableStatement prepareCall(String p0, int p1, int p2) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().prepareCall(p0, p1, p2), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized CallableStatement prepareCall(String p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().prepareCall(p0), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized PreparedStatement prepareStatement(String p0, int[] p1) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().prepareStatement(p0, p1), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized PreparedStatement prepareStatement(String p0, String[] p1) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().prepareStatement(p0, p1), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized PreparedStatement prepareStatement(String p0, int p1, int p2, int p3) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().prepareStatement(p0, p1, p2, p3), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized PreparedStatement prepareStatement(String p0, int p1, int p2) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().prepareStatement(p0, p1, p2), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized PreparedStatement prepareStatement(String p0, int p1) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().prepareStatement(p0, p1), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized PreparedStatement prepareStatement(String p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return CountingStatement.wrap(l.physical().prepareStatement(p0), l.node().meters().statements(readOnly), this, failures(l));
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void releaseSavepoint(Savepoint p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().releaseSavepoint(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void rollback(Savepoint p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().rollback(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void setHoldability(int p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().setHoldability(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void setNetworkTimeout(Executor p0, int p1) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().setNetworkTimeout(p0, p1);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Savepoint setSavepoint() throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().setSavepoint();
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized Savepoint setSavepoint(String p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().setSavepoint(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void setSchema(String p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().setSchema(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized boolean setShardingKeyIfValid(ShardingKey p0, int p1) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().setShardingKeyIfValid(p0, p1);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized boolean setShardingKeyIfValid(ShardingKey p0, ShardingKey p1, int p2) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            return l.physical().setShardingKeyIfValid(p0, p1, p2);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void setShardingKey(ShardingKey p0, ShardingKey p1) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().setShardingKey(p0, p1);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void setShardingKey(ShardingKey p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().setShardingKey(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    @Override
    public synchronized void setTypeMap(Map<String, Class<?>> p0) throws SQLException {
        RoutingDataSource.Lease l = use();
        try {
            l.physical().setTypeMap(p0);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
        }
    }

    /** On a write connection, read-only refusals become the router's transient exception. */
    private StatementFailures failures(RoutingDataSource.Lease l) {
        return readOnly ? StatementFailures.NONE : e -> router.writeFailure(l.node(), e);
    }

    /** The bound physical connection, for a call the session makes now. */
    private RoutingDataSource.Lease use() throws SQLException {
        ensureOpen();
        return bind();
    }

    private RoutingDataSource.Lease useForClientInfo() throws SQLClientInfoException {
        try {
            return use();
        } catch (SQLClientInfoException e) {
            throw e;
        } catch (SQLException e) {
            // setClientInfo may only throw SQLClientInfoException: carry the reason and state over.
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), null, e);
        }
    }

    private RoutingDataSource.Lease bind() throws SQLException {
        if (lease == null) {
            RoutingDataSource.Lease l = readOnly ? router.leaseForRead() : router.leaseForWrite();
            try {
                Connection c = l.physical();
                if (!autoCommit) {
                    c.setAutoCommit(false);
                }
                if (isolation != -1) {
                    c.setTransactionIsolation(isolation);
                }
                if (catalog != null) {
                    c.setCatalog(catalog);
                }
            } catch (SQLException e) {
                router.failed(l.node(), e);
                l.release();
                throw e;
            }
            lease = l;
        }
        return lease;
    }

    private void releaseLease() throws SQLException {
        RoutingDataSource.Lease l = lease;
        lease = null;
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
