package com.foobar.dbrouter;

import io.micrometer.core.instrument.Counter;
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
 * The connection handed to {@code read()}/{@code write()} work: the router, not the work, releases it, so
 * {@link #close()} only stops this handle. Statements made on it count their executions on the node's meter.
 * Hand-written rather than a JDK proxy: it is on the path of every query.
 */
final class LentConnection implements Connection, Routed {
    private static final String CLOSED = "connection was closed by the work using it";

    private final Connection physical;
    private final NodePool node;
    private final Counter statements;
    private final StatementFailures failures;
    private volatile boolean closed;

    LentConnection(Connection physical, NodePool node, boolean read, StatementFailures failures) {
        this.physical = physical;
        this.node = node;
        this.statements = node.meters().statements(read);
        this.failures = failures;
    }

    @Override
    public String nodeName() {
        return node.name();
    }

    private void open() throws SQLException {
        if (closed) {
            throw new SQLException(CLOSED, "08003");
        }
    }

    @Override
    public void close() {
        // The router commits or releases; work that closes its connection early just stops using it.
        closed = true;
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || physical.isClosed();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        open();
        return physical.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return true;
        }
        open();
        return physical.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "RoutedConnection[" + node.name() + "]";
    }

    @Override
    public void abort(Executor p0) throws SQLException {
        open();
        physical.abort(p0);
    }

    @Override
    public void beginRequest() throws SQLException {
        open();
        physical.beginRequest();
    }

    @Override
    public void clearWarnings() throws SQLException {
        open();
        physical.clearWarnings();
    }

    @Override
    public void commit() throws SQLException {
        open();
        physical.commit();
    }

    @Override
    public Array createArrayOf(String p0, Object[] p1) throws SQLException {
        open();
        return physical.createArrayOf(p0, p1);
    }

    @Override
    public Blob createBlob() throws SQLException {
        open();
        return physical.createBlob();
    }

    @Override
    public Clob createClob() throws SQLException {
        open();
        return physical.createClob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        open();
        return physical.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        open();
        return physical.createSQLXML();
    }

    @Override
    public Statement createStatement() throws SQLException {
        open();
        return CountingStatement.wrap(physical.createStatement(), statements, this, failures);
    }

    @Override
    public Statement createStatement(int p0, int p1, int p2) throws SQLException {
        open();
        return CountingStatement.wrap(physical.createStatement(p0, p1, p2), statements, this, failures);
    }

    @Override
    public Statement createStatement(int p0, int p1) throws SQLException {
        open();
        return CountingStatement.wrap(physical.createStatement(p0, p1), statements, this, failures);
    }

    @Override
    public Struct createStruct(String p0, Object[] p1) throws SQLException {
        open();
        return physical.createStruct(p0, p1);
    }

    @Override
    public void endRequest() throws SQLException {
        open();
        physical.endRequest();
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        open();
        return physical.getAutoCommit();
    }

    @Override
    public String getCatalog() throws SQLException {
        open();
        return physical.getCatalog();
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        open();
        return physical.getClientInfo();
    }

    @Override
    public String getClientInfo(String p0) throws SQLException {
        open();
        return physical.getClientInfo(p0);
    }

    @Override
    public int getHoldability() throws SQLException {
        open();
        return physical.getHoldability();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        open();
        return physical.getMetaData();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        open();
        return physical.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        open();
        return physical.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        open();
        return physical.getTransactionIsolation();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        open();
        return physical.getTypeMap();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        open();
        return physical.getWarnings();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        open();
        return physical.isReadOnly();
    }

    @Override
    public boolean isValid(int p0) throws SQLException {
        open();
        return physical.isValid(p0);
    }

    @Override
    public String nativeSQL(String p0) throws SQLException {
        open();
        return physical.nativeSQL(p0);
    }

    @Override
    public CallableStatement prepareCall(String p0, int p1, int p2, int p3) throws SQLException {
        open();
        return CountingStatement.wrap(physical.prepareCall(p0, p1, p2, p3), statements, this, failures);
    }

    @Override
    public CallableStatement prepareCall(String p0, int p1, int p2) throws SQLException {
        open();
        return CountingStatement.wrap(physical.prepareCall(p0, p1, p2), statements, this, failures);
    }

    @Override
    public CallableStatement prepareCall(String p0) throws SQLException {
        open();
        return CountingStatement.wrap(physical.prepareCall(p0), statements, this, failures);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, int[] p1) throws SQLException {
        open();
        return CountingStatement.wrap(physical.prepareStatement(p0, p1), statements, this, failures);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, String[] p1) throws SQLException {
        open();
        return CountingStatement.wrap(physical.prepareStatement(p0, p1), statements, this, failures);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, int p1, int p2, int p3) throws SQLException {
        open();
        return CountingStatement.wrap(physical.prepareStatement(p0, p1, p2, p3), statements, this, failures);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, int p1, int p2) throws SQLException {
        open();
        return CountingStatement.wrap(physical.prepareStatement(p0, p1, p2), statements, this, failures);
    }

    @Override
    public PreparedStatement prepareStatement(String p0, int p1) throws SQLException {
        open();
        return CountingStatement.wrap(physical.prepareStatement(p0, p1), statements, this, failures);
    }

    @Override
    public PreparedStatement prepareStatement(String p0) throws SQLException {
        open();
        return CountingStatement.wrap(physical.prepareStatement(p0), statements, this, failures);
    }

    @Override
    public void releaseSavepoint(Savepoint p0) throws SQLException {
        open();
        physical.releaseSavepoint(p0);
    }

    @Override
    public void rollback() throws SQLException {
        open();
        physical.rollback();
    }

    @Override
    public void rollback(Savepoint p0) throws SQLException {
        open();
        physical.rollback(p0);
    }

    @Override
    public void setAutoCommit(boolean p0) throws SQLException {
        open();
        physical.setAutoCommit(p0);
    }

    @Override
    public void setCatalog(String p0) throws SQLException {
        open();
        physical.setCatalog(p0);
    }

    @Override
    public void setClientInfo(String p0, String p1) throws SQLClientInfoException {
        if (closed) {
            throw new SQLClientInfoException(CLOSED, "08003", 0, null);
        }
        physical.setClientInfo(p0, p1);
    }

    @Override
    public void setClientInfo(Properties p0) throws SQLClientInfoException {
        if (closed) {
            throw new SQLClientInfoException(CLOSED, "08003", 0, null);
        }
        physical.setClientInfo(p0);
    }

    @Override
    public void setHoldability(int p0) throws SQLException {
        open();
        physical.setHoldability(p0);
    }

    @Override
    public void setNetworkTimeout(Executor p0, int p1) throws SQLException {
        open();
        physical.setNetworkTimeout(p0, p1);
    }

    @Override
    public void setReadOnly(boolean p0) throws SQLException {
        open();
        physical.setReadOnly(p0);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        open();
        return physical.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String p0) throws SQLException {
        open();
        return physical.setSavepoint(p0);
    }

    @Override
    public void setSchema(String p0) throws SQLException {
        open();
        physical.setSchema(p0);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey p0, int p1) throws SQLException {
        open();
        return physical.setShardingKeyIfValid(p0, p1);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey p0, ShardingKey p1, int p2) throws SQLException {
        open();
        return physical.setShardingKeyIfValid(p0, p1, p2);
    }

    @Override
    public void setShardingKey(ShardingKey p0, ShardingKey p1) throws SQLException {
        open();
        physical.setShardingKey(p0, p1);
    }

    @Override
    public void setShardingKey(ShardingKey p0) throws SQLException {
        open();
        physical.setShardingKey(p0);
    }

    @Override
    public void setTransactionIsolation(int p0) throws SQLException {
        open();
        physical.setTransactionIsolation(p0);
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> p0) throws SQLException {
        open();
        physical.setTypeMap(p0);
    }
}
