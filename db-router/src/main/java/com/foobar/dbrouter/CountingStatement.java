package com.foobar.dbrouter;

import io.micrometer.core.instrument.Counter;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A statement made through the router: counts each execution on its node's meter and answers {@link #getConnection()}
 * with the router's connection, otherwise delegates as is. Hand-written rather than a JDK proxy because it sits on
 * every query: a reflective call per JDBC method was most of the router's overhead.
 */
sealed class CountingStatement implements Statement permits CountingStatement.Prepared {
    private final Statement target;
    private final Counter counter;
    private final Connection owner;
    private final StatementFailures failures;

    CountingStatement(Statement target, Counter counter, Connection owner, StatementFailures failures) {
        this.target = target;
        this.counter = counter;
        this.owner = owner;
        this.failures = failures;
    }

    /** Wraps {@code s} in the counting class matching its most specific JDBC interface. */
    static Statement wrap(Statement s, Counter counter, Connection owner, StatementFailures failures) {
        if (s instanceof CallableStatement) {
            return new Callable((CallableStatement) s, counter, owner, failures);
        }
        if (s instanceof PreparedStatement) {
            return new Prepared((PreparedStatement) s, counter, owner, failures);
        }
        return new CountingStatement(s, counter, owner, failures);
    }

    static PreparedStatement wrap(PreparedStatement s, Counter counter, Connection owner, StatementFailures failures) {
        return s instanceof CallableStatement ? new Callable((CallableStatement) s, counter, owner, failures)
                : new Prepared(s, counter, owner, failures);
    }

    static CallableStatement wrap(CallableStatement s, Counter counter, Connection owner, StatementFailures failures) {
        return new Callable(s, counter, owner, failures);
    }

    final void count() {
        counter.increment();
    }

    /** An execution failed: what the caller sees (a read-only refusal on a write connection is translated). */
    final SQLException failed(SQLException e) {
        return failures.translate(e);
    }

    @Override
    public final Connection getConnection() {
        return owner;
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return target.unwrap(iface);
    }

    @Override
    public final String toString() {
        return "Counted" + target;
    }

    @Override
    public void addBatch(String p0) throws SQLException {
        target.addBatch(p0);
    }

    @Override
    public void cancel() throws SQLException {
        target.cancel();
    }

    @Override
    public void clearBatch() throws SQLException {
        target.clearBatch();
    }

    @Override
    public void clearWarnings() throws SQLException {
        target.clearWarnings();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        target.closeOnCompletion();
    }

    @Override
    public void close() throws SQLException {
        target.close();
    }

    @Override
    public String enquoteIdentifier(String p0, boolean p1) throws SQLException {
        return target.enquoteIdentifier(p0, p1);
    }

    @Override
    public String enquoteLiteral(String p0) throws SQLException {
        return target.enquoteLiteral(p0);
    }

    @Override
    public String enquoteNCharLiteral(String p0) throws SQLException {
        return target.enquoteNCharLiteral(p0);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        count();
        try {
            return target.executeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        count();
        try {
            return target.executeLargeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String p0, int[] p1) throws SQLException {
        count();
        try {
            return target.executeLargeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String p0, String[] p1) throws SQLException {
        count();
        try {
            return target.executeLargeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String p0, int p1) throws SQLException {
        count();
        try {
            return target.executeLargeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String p0) throws SQLException {
        count();
        try {
            return target.executeLargeUpdate(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public ResultSet executeQuery(String p0) throws SQLException {
        count();
        try {
            return target.executeQuery(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String p0, int[] p1) throws SQLException {
        count();
        try {
            return target.executeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String p0, String[] p1) throws SQLException {
        count();
        try {
            return target.executeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String p0, int p1) throws SQLException {
        count();
        try {
            return target.executeUpdate(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String p0) throws SQLException {
        count();
        try {
            return target.executeUpdate(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String p0, int[] p1) throws SQLException {
        count();
        try {
            return target.execute(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String p0, String[] p1) throws SQLException {
        count();
        try {
            return target.execute(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String p0, int p1) throws SQLException {
        count();
        try {
            return target.execute(p0, p1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String p0) throws SQLException {
        count();
        try {
            return target.execute(p0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return target.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return target.getFetchSize();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return target.getGeneratedKeys();
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return target.getLargeMaxRows();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return target.getLargeUpdateCount();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return target.getMaxFieldSize();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return target.getMaxRows();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return target.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int p0) throws SQLException {
        return target.getMoreResults(p0);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return target.getQueryTimeout();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return target.getResultSetConcurrency();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return target.getResultSetHoldability();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return target.getResultSetType();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return target.getResultSet();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return target.getUpdateCount();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return target.getWarnings();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return target.isCloseOnCompletion();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return target.isClosed();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return target.isPoolable();
    }

    @Override
    public boolean isSimpleIdentifier(String p0) throws SQLException {
        return target.isSimpleIdentifier(p0);
    }

    @Override
    public void setCursorName(String p0) throws SQLException {
        target.setCursorName(p0);
    }

    @Override
    public void setEscapeProcessing(boolean p0) throws SQLException {
        target.setEscapeProcessing(p0);
    }

    @Override
    public void setFetchDirection(int p0) throws SQLException {
        target.setFetchDirection(p0);
    }

    @Override
    public void setFetchSize(int p0) throws SQLException {
        target.setFetchSize(p0);
    }

    @Override
    public void setLargeMaxRows(long p0) throws SQLException {
        target.setLargeMaxRows(p0);
    }

    @Override
    public void setMaxFieldSize(int p0) throws SQLException {
        target.setMaxFieldSize(p0);
    }

    @Override
    public void setMaxRows(int p0) throws SQLException {
        target.setMaxRows(p0);
    }

    @Override
    public void setPoolable(boolean p0) throws SQLException {
        target.setPoolable(p0);
    }

    @Override
    public void setQueryTimeout(int p0) throws SQLException {
        target.setQueryTimeout(p0);
    }

    @Override
    public boolean isWrapperFor(Class<?> p0) throws SQLException {
        return target.isWrapperFor(p0);
    }

    static sealed class Prepared extends CountingStatement implements PreparedStatement permits Callable {
        private final PreparedStatement prepared;

        Prepared(PreparedStatement prepared, Counter counter, Connection owner, StatementFailures failures) {
            super(prepared, counter, owner, failures);
            this.prepared = prepared;
        }

        @Override
        public void addBatch() throws SQLException {
            prepared.addBatch();
        }

        @Override
        public void clearParameters() throws SQLException {
            prepared.clearParameters();
        }

        @Override
        public long executeLargeUpdate() throws SQLException {
            count();
            try {
                return prepared.executeLargeUpdate();
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public ResultSet executeQuery() throws SQLException {
            count();
            try {
                return prepared.executeQuery();
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public int executeUpdate() throws SQLException {
            count();
            try {
                return prepared.executeUpdate();
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public boolean execute() throws SQLException {
            count();
            try {
                return prepared.execute();
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public ResultSetMetaData getMetaData() throws SQLException {
            return prepared.getMetaData();
        }

        @Override
        public ParameterMetaData getParameterMetaData() throws SQLException {
            return prepared.getParameterMetaData();
        }

        @Override
        public void setArray(int p0, Array p1) throws SQLException {
            prepared.setArray(p0, p1);
        }

        @Override
        public void setAsciiStream(int p0, InputStream p1, int p2) throws SQLException {
            prepared.setAsciiStream(p0, p1, p2);
        }

        @Override
        public void setAsciiStream(int p0, InputStream p1, long p2) throws SQLException {
            prepared.setAsciiStream(p0, p1, p2);
        }

        @Override
        public void setAsciiStream(int p0, InputStream p1) throws SQLException {
            prepared.setAsciiStream(p0, p1);
        }

        @Override
        public void setBigDecimal(int p0, BigDecimal p1) throws SQLException {
            prepared.setBigDecimal(p0, p1);
        }

        @Override
        public void setBinaryStream(int p0, InputStream p1, int p2) throws SQLException {
            prepared.setBinaryStream(p0, p1, p2);
        }

        @Override
        public void setBinaryStream(int p0, InputStream p1, long p2) throws SQLException {
            prepared.setBinaryStream(p0, p1, p2);
        }

        @Override
        public void setBinaryStream(int p0, InputStream p1) throws SQLException {
            prepared.setBinaryStream(p0, p1);
        }

        @Override
        public void setBlob(int p0, InputStream p1, long p2) throws SQLException {
            prepared.setBlob(p0, p1, p2);
        }

        @Override
        public void setBlob(int p0, InputStream p1) throws SQLException {
            prepared.setBlob(p0, p1);
        }

        @Override
        public void setBlob(int p0, Blob p1) throws SQLException {
            prepared.setBlob(p0, p1);
        }

        @Override
        public void setBoolean(int p0, boolean p1) throws SQLException {
            prepared.setBoolean(p0, p1);
        }

        @Override
        public void setByte(int p0, byte p1) throws SQLException {
            prepared.setByte(p0, p1);
        }

        @Override
        public void setBytes(int p0, byte[] p1) throws SQLException {
            prepared.setBytes(p0, p1);
        }

        @Override
        public void setCharacterStream(int p0, Reader p1, int p2) throws SQLException {
            prepared.setCharacterStream(p0, p1, p2);
        }

        @Override
        public void setCharacterStream(int p0, Reader p1, long p2) throws SQLException {
            prepared.setCharacterStream(p0, p1, p2);
        }

        @Override
        public void setCharacterStream(int p0, Reader p1) throws SQLException {
            prepared.setCharacterStream(p0, p1);
        }

        @Override
        public void setClob(int p0, Reader p1, long p2) throws SQLException {
            prepared.setClob(p0, p1, p2);
        }

        @Override
        public void setClob(int p0, Reader p1) throws SQLException {
            prepared.setClob(p0, p1);
        }

        @Override
        public void setClob(int p0, Clob p1) throws SQLException {
            prepared.setClob(p0, p1);
        }

        @Override
        public void setDate(int p0, Date p1, Calendar p2) throws SQLException {
            prepared.setDate(p0, p1, p2);
        }

        @Override
        public void setDate(int p0, Date p1) throws SQLException {
            prepared.setDate(p0, p1);
        }

        @Override
        public void setDouble(int p0, double p1) throws SQLException {
            prepared.setDouble(p0, p1);
        }

        @Override
        public void setFloat(int p0, float p1) throws SQLException {
            prepared.setFloat(p0, p1);
        }

        @Override
        public void setInt(int p0, int p1) throws SQLException {
            prepared.setInt(p0, p1);
        }

        @Override
        public void setLong(int p0, long p1) throws SQLException {
            prepared.setLong(p0, p1);
        }

        @Override
        public void setNCharacterStream(int p0, Reader p1, long p2) throws SQLException {
            prepared.setNCharacterStream(p0, p1, p2);
        }

        @Override
        public void setNCharacterStream(int p0, Reader p1) throws SQLException {
            prepared.setNCharacterStream(p0, p1);
        }

        @Override
        public void setNClob(int p0, Reader p1, long p2) throws SQLException {
            prepared.setNClob(p0, p1, p2);
        }

        @Override
        public void setNClob(int p0, Reader p1) throws SQLException {
            prepared.setNClob(p0, p1);
        }

        @Override
        public void setNClob(int p0, NClob p1) throws SQLException {
            prepared.setNClob(p0, p1);
        }

        @Override
        public void setNString(int p0, String p1) throws SQLException {
            prepared.setNString(p0, p1);
        }

        @Override
        public void setNull(int p0, int p1, String p2) throws SQLException {
            prepared.setNull(p0, p1, p2);
        }

        @Override
        public void setNull(int p0, int p1) throws SQLException {
            prepared.setNull(p0, p1);
        }

        @Override
        public void setObject(int p0, Object p1, int p2, int p3) throws SQLException {
            prepared.setObject(p0, p1, p2, p3);
        }

        @Override
        public void setObject(int p0, Object p1, int p2) throws SQLException {
            prepared.setObject(p0, p1, p2);
        }

        @Override
        public void setObject(int p0, Object p1, SQLType p2, int p3) throws SQLException {
            prepared.setObject(p0, p1, p2, p3);
        }

        @Override
        public void setObject(int p0, Object p1, SQLType p2) throws SQLException {
            prepared.setObject(p0, p1, p2);
        }

        @Override
        public void setObject(int p0, Object p1) throws SQLException {
            prepared.setObject(p0, p1);
        }

        @Override
        public void setRef(int p0, Ref p1) throws SQLException {
            prepared.setRef(p0, p1);
        }

        @Override
        public void setRowId(int p0, RowId p1) throws SQLException {
            prepared.setRowId(p0, p1);
        }

        @Override
        public void setSQLXML(int p0, SQLXML p1) throws SQLException {
            prepared.setSQLXML(p0, p1);
        }

        @Override
        public void setShort(int p0, short p1) throws SQLException {
            prepared.setShort(p0, p1);
        }

        @Override
        public void setString(int p0, String p1) throws SQLException {
            prepared.setString(p0, p1);
        }

        @Override
        public void setTime(int p0, Time p1, Calendar p2) throws SQLException {
            prepared.setTime(p0, p1, p2);
        }

        @Override
        public void setTime(int p0, Time p1) throws SQLException {
            prepared.setTime(p0, p1);
        }

        @Override
        public void setTimestamp(int p0, Timestamp p1, Calendar p2) throws SQLException {
            prepared.setTimestamp(p0, p1, p2);
        }

        @Override
        public void setTimestamp(int p0, Timestamp p1) throws SQLException {
            prepared.setTimestamp(p0, p1);
        }

        @Override
        public void setURL(int p0, URL p1) throws SQLException {
            prepared.setURL(p0, p1);
        }

        @Override
        public void setUnicodeStream(int p0, InputStream p1, int p2) throws SQLException {
            prepared.setUnicodeStream(p0, p1, p2);
        }
    }

    static final class Callable extends Prepared implements CallableStatement {
        private final CallableStatement callable;

        Callable(CallableStatement callable, Counter counter, Connection owner, StatementFailures failures) {
            super(callable, counter, owner, failures);
            this.callable = callable;
        }

        @Override
        public Array getArray(String p0) throws SQLException {
            return callable.getArray(p0);
        }

        @Override
        public Array getArray(int p0) throws SQLException {
            return callable.getArray(p0);
        }

        @Override
        public BigDecimal getBigDecimal(String p0) throws SQLException {
            return callable.getBigDecimal(p0);
        }

        @Override
        public BigDecimal getBigDecimal(int p0, int p1) throws SQLException {
            return callable.getBigDecimal(p0, p1);
        }

        @Override
        public BigDecimal getBigDecimal(int p0) throws SQLException {
            return callable.getBigDecimal(p0);
        }

        @Override
        public Blob getBlob(String p0) throws SQLException {
            return callable.getBlob(p0);
        }

        @Override
        public Blob getBlob(int p0) throws SQLException {
            return callable.getBlob(p0);
        }

        @Override
        public boolean getBoolean(String p0) throws SQLException {
            return callable.getBoolean(p0);
        }

        @Override
        public boolean getBoolean(int p0) throws SQLException {
            return callable.getBoolean(p0);
        }

        @Override
        public byte getByte(String p0) throws SQLException {
            return callable.getByte(p0);
        }

        @Override
        public byte getByte(int p0) throws SQLException {
            return callable.getByte(p0);
        }

        @Override
        public byte[] getBytes(String p0) throws SQLException {
            return callable.getBytes(p0);
        }

        @Override
        public byte[] getBytes(int p0) throws SQLException {
            return callable.getBytes(p0);
        }

        @Override
        public Reader getCharacterStream(String p0) throws SQLException {
            return callable.getCharacterStream(p0);
        }

        @Override
        public Reader getCharacterStream(int p0) throws SQLException {
            return callable.getCharacterStream(p0);
        }

        @Override
        public Clob getClob(String p0) throws SQLException {
            return callable.getClob(p0);
        }

        @Override
        public Clob getClob(int p0) throws SQLException {
            return callable.getClob(p0);
        }

        @Override
        public Date getDate(String p0, Calendar p1) throws SQLException {
            return callable.getDate(p0, p1);
        }

        @Override
        public Date getDate(String p0) throws SQLException {
            return callable.getDate(p0);
        }

        @Override
        public Date getDate(int p0, Calendar p1) throws SQLException {
            return callable.getDate(p0, p1);
        }

        @Override
        public Date getDate(int p0) throws SQLException {
            return callable.getDate(p0);
        }

        @Override
        public double getDouble(String p0) throws SQLException {
            return callable.getDouble(p0);
        }

        @Override
        public double getDouble(int p0) throws SQLException {
            return callable.getDouble(p0);
        }

        @Override
        public float getFloat(String p0) throws SQLException {
            return callable.getFloat(p0);
        }

        @Override
        public float getFloat(int p0) throws SQLException {
            return callable.getFloat(p0);
        }

        @Override
        public int getInt(String p0) throws SQLException {
            return callable.getInt(p0);
        }

        @Override
        public int getInt(int p0) throws SQLException {
            return callable.getInt(p0);
        }

        @Override
        public long getLong(String p0) throws SQLException {
            return callable.getLong(p0);
        }

        @Override
        public long getLong(int p0) throws SQLException {
            return callable.getLong(p0);
        }

        @Override
        public Reader getNCharacterStream(String p0) throws SQLException {
            return callable.getNCharacterStream(p0);
        }

        @Override
        public Reader getNCharacterStream(int p0) throws SQLException {
            return callable.getNCharacterStream(p0);
        }

        @Override
        public NClob getNClob(String p0) throws SQLException {
            return callable.getNClob(p0);
        }

        @Override
        public NClob getNClob(int p0) throws SQLException {
            return callable.getNClob(p0);
        }

        @Override
        public String getNString(String p0) throws SQLException {
            return callable.getNString(p0);
        }

        @Override
        public String getNString(int p0) throws SQLException {
            return callable.getNString(p0);
        }

        @Override
        public <T> T getObject(String p0, Class<T> p1) throws SQLException {
            return callable.getObject(p0, p1);
        }

        @Override
        public Object getObject(String p0, Map<String, Class<?>> p1) throws SQLException {
            return callable.getObject(p0, p1);
        }

        @Override
        public Object getObject(String p0) throws SQLException {
            return callable.getObject(p0);
        }

        @Override
        public <T> T getObject(int p0, Class<T> p1) throws SQLException {
            return callable.getObject(p0, p1);
        }

        @Override
        public Object getObject(int p0, Map<String, Class<?>> p1) throws SQLException {
            return callable.getObject(p0, p1);
        }

        @Override
        public Object getObject(int p0) throws SQLException {
            return callable.getObject(p0);
        }

        @Override
        public Ref getRef(String p0) throws SQLException {
            return callable.getRef(p0);
        }

        @Override
        public Ref getRef(int p0) throws SQLException {
            return callable.getRef(p0);
        }

        @Override
        public RowId getRowId(String p0) throws SQLException {
            return callable.getRowId(p0);
        }

        @Override
        public RowId getRowId(int p0) throws SQLException {
            return callable.getRowId(p0);
        }

        @Override
        public SQLXML getSQLXML(String p0) throws SQLException {
            return callable.getSQLXML(p0);
        }

        @Override
        public SQLXML getSQLXML(int p0) throws SQLException {
            return callable.getSQLXML(p0);
        }

        @Override
        public short getShort(String p0) throws SQLException {
            return callable.getShort(p0);
        }

        @Override
        public short getShort(int p0) throws SQLException {
            return callable.getShort(p0);
        }

        @Override
        public String getString(String p0) throws SQLException {
            return callable.getString(p0);
        }

        @Override
        public String getString(int p0) throws SQLException {
            return callable.getString(p0);
        }

        @Override
        public Time getTime(String p0, Calendar p1) throws SQLException {
            return callable.getTime(p0, p1);
        }

        @Override
        public Time getTime(String p0) throws SQLException {
            return callable.getTime(p0);
        }

        @Override
        public Time getTime(int p0, Calendar p1) throws SQLException {
            return callable.getTime(p0, p1);
        }

        @Override
        public Time getTime(int p0) throws SQLException {
            return callable.getTime(p0);
        }

        @Override
        public Timestamp getTimestamp(String p0, Calendar p1) throws SQLException {
            return callable.getTimestamp(p0, p1);
        }

        @Override
        public Timestamp getTimestamp(String p0) throws SQLException {
            return callable.getTimestamp(p0);
        }

        @Override
        public Timestamp getTimestamp(int p0, Calendar p1) throws SQLException {
            return callable.getTimestamp(p0, p1);
        }

        @Override
        public Timestamp getTimestamp(int p0) throws SQLException {
            return callable.getTimestamp(p0);
        }

        @Override
        public URL getURL(String p0) throws SQLException {
            return callable.getURL(p0);
        }

        @Override
        public URL getURL(int p0) throws SQLException {
            return callable.getURL(p0);
        }

        @Override
        public void registerOutParameter(String p0, int p1, String p2) throws SQLException {
            callable.registerOutParameter(p0, p1, p2);
        }

        @Override
        public void registerOutParameter(String p0, int p1, int p2) throws SQLException {
            callable.registerOutParameter(p0, p1, p2);
        }

        @Override
        public void registerOutParameter(String p0, int p1) throws SQLException {
            callable.registerOutParameter(p0, p1);
        }

        @Override
        public void registerOutParameter(String p0, SQLType p1, String p2) throws SQLException {
            callable.registerOutParameter(p0, p1, p2);
        }

        @Override
        public void registerOutParameter(String p0, SQLType p1, int p2) throws SQLException {
            callable.registerOutParameter(p0, p1, p2);
        }

        @Override
        public void registerOutParameter(String p0, SQLType p1) throws SQLException {
            callable.registerOutParameter(p0, p1);
        }

        @Override
        public void registerOutParameter(int p0, int p1, String p2) throws SQLException {
            callable.registerOutParameter(p0, p1, p2);
        }

        @Override
        public void registerOutParameter(int p0, int p1, int p2) throws SQLException {
            callable.registerOutParameter(p0, p1, p2);
        }

        @Override
        public void registerOutParameter(int p0, int p1) throws SQLException {
            callable.registerOutParameter(p0, p1);
        }

        @Override
        public void registerOutParameter(int p0, SQLType p1, String p2) throws SQLException {
            callable.registerOutParameter(p0, p1, p2);
        }

        @Override
        public void registerOutParameter(int p0, SQLType p1, int p2) throws SQLException {
            callable.registerOutParameter(p0, p1, p2);
        }

        @Override
        public void registerOutParameter(int p0, SQLType p1) throws SQLException {
            callable.registerOutParameter(p0, p1);
        }

        @Override
        public void setAsciiStream(String p0, InputStream p1, int p2) throws SQLException {
            callable.setAsciiStream(p0, p1, p2);
        }

        @Override
        public void setAsciiStream(String p0, InputStream p1, long p2) throws SQLException {
            callable.setAsciiStream(p0, p1, p2);
        }

        @Override
        public void setAsciiStream(String p0, InputStream p1) throws SQLException {
            callable.setAsciiStream(p0, p1);
        }

        @Override
        public void setBigDecimal(String p0, BigDecimal p1) throws SQLException {
            callable.setBigDecimal(p0, p1);
        }

        @Override
        public void setBinaryStream(String p0, InputStream p1, int p2) throws SQLException {
            callable.setBinaryStream(p0, p1, p2);
        }

        @Override
        public void setBinaryStream(String p0, InputStream p1, long p2) throws SQLException {
            callable.setBinaryStream(p0, p1, p2);
        }

        @Override
        public void setBinaryStream(String p0, InputStream p1) throws SQLException {
            callable.setBinaryStream(p0, p1);
        }

        @Override
        public void setBlob(String p0, InputStream p1, long p2) throws SQLException {
            callable.setBlob(p0, p1, p2);
        }

        @Override
        public void setBlob(String p0, InputStream p1) throws SQLException {
            callable.setBlob(p0, p1);
        }

        @Override
        public void setBlob(String p0, Blob p1) throws SQLException {
            callable.setBlob(p0, p1);
        }

        @Override
        public void setBoolean(String p0, boolean p1) throws SQLException {
            callable.setBoolean(p0, p1);
        }

        @Override
        public void setByte(String p0, byte p1) throws SQLException {
            callable.setByte(p0, p1);
        }

        @Override
        public void setBytes(String p0, byte[] p1) throws SQLException {
            callable.setBytes(p0, p1);
        }

        @Override
        public void setCharacterStream(String p0, Reader p1, int p2) throws SQLException {
            callable.setCharacterStream(p0, p1, p2);
        }

        @Override
        public void setCharacterStream(String p0, Reader p1, long p2) throws SQLException {
            callable.setCharacterStream(p0, p1, p2);
        }

        @Override
        public void setCharacterStream(String p0, Reader p1) throws SQLException {
            callable.setCharacterStream(p0, p1);
        }

        @Override
        public void setClob(String p0, Reader p1, long p2) throws SQLException {
            callable.setClob(p0, p1, p2);
        }

        @Override
        public void setClob(String p0, Reader p1) throws SQLException {
            callable.setClob(p0, p1);
        }

        @Override
        public void setClob(String p0, Clob p1) throws SQLException {
            callable.setClob(p0, p1);
        }

        @Override
        public void setDate(String p0, Date p1, Calendar p2) throws SQLException {
            callable.setDate(p0, p1, p2);
        }

        @Override
        public void setDate(String p0, Date p1) throws SQLException {
            callable.setDate(p0, p1);
        }

        @Override
        public void setDouble(String p0, double p1) throws SQLException {
            callable.setDouble(p0, p1);
        }

        @Override
        public void setFloat(String p0, float p1) throws SQLException {
            callable.setFloat(p0, p1);
        }

        @Override
        public void setInt(String p0, int p1) throws SQLException {
            callable.setInt(p0, p1);
        }

        @Override
        public void setLong(String p0, long p1) throws SQLException {
            callable.setLong(p0, p1);
        }

        @Override
        public void setNCharacterStream(String p0, Reader p1, long p2) throws SQLException {
            callable.setNCharacterStream(p0, p1, p2);
        }

        @Override
        public void setNCharacterStream(String p0, Reader p1) throws SQLException {
            callable.setNCharacterStream(p0, p1);
        }

        @Override
        public void setNClob(String p0, Reader p1, long p2) throws SQLException {
            callable.setNClob(p0, p1, p2);
        }

        @Override
        public void setNClob(String p0, Reader p1) throws SQLException {
            callable.setNClob(p0, p1);
        }

        @Override
        public void setNClob(String p0, NClob p1) throws SQLException {
            callable.setNClob(p0, p1);
        }

        @Override
        public void setNString(String p0, String p1) throws SQLException {
            callable.setNString(p0, p1);
        }

        @Override
        public void setNull(String p0, int p1, String p2) throws SQLException {
            callable.setNull(p0, p1, p2);
        }

        @Override
        public void setNull(String p0, int p1) throws SQLException {
            callable.setNull(p0, p1);
        }

        @Override
        public void setObject(String p0, Object p1, int p2, int p3) throws SQLException {
            callable.setObject(p0, p1, p2, p3);
        }

        @Override
        public void setObject(String p0, Object p1, int p2) throws SQLException {
            callable.setObject(p0, p1, p2);
        }

        @Override
        public void setObject(String p0, Object p1, SQLType p2, int p3) throws SQLException {
            callable.setObject(p0, p1, p2, p3);
        }

        @Override
        public void setObject(String p0, Object p1, SQLType p2) throws SQLException {
            callable.setObject(p0, p1, p2);
        }

        @Override
        public void setObject(String p0, Object p1) throws SQLException {
            callable.setObject(p0, p1);
        }

        @Override
        public void setRowId(String p0, RowId p1) throws SQLException {
            callable.setRowId(p0, p1);
        }

        @Override
        public void setSQLXML(String p0, SQLXML p1) throws SQLException {
            callable.setSQLXML(p0, p1);
        }

        @Override
        public void setShort(String p0, short p1) throws SQLException {
            callable.setShort(p0, p1);
        }

        @Override
        public void setString(String p0, String p1) throws SQLException {
            callable.setString(p0, p1);
        }

        @Override
        public void setTime(String p0, Time p1, Calendar p2) throws SQLException {
            callable.setTime(p0, p1, p2);
        }

        @Override
        public void setTime(String p0, Time p1) throws SQLException {
            callable.setTime(p0, p1);
        }

        @Override
        public void setTimestamp(String p0, Timestamp p1, Calendar p2) throws SQLException {
            callable.setTimestamp(p0, p1, p2);
        }

        @Override
        public void setTimestamp(String p0, Timestamp p1) throws SQLException {
            callable.setTimestamp(p0, p1);
        }

        @Override
        public void setURL(String p0, URL p1) throws SQLException {
            callable.setURL(p0, p1);
        }

        @Override
        public boolean wasNull() throws SQLException {
            return callable.wasNull();
        }
    }
}
