package com.foobar.dbrouter;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection {@link RoutingDataSource#getConnection()} hands out. It holds no physical connection until first
 * used; then it takes one from a replica when marked read-only, else from the primary. Switching read-only between
 * transactions releases the physical connection, so the next use goes to the other side. Session settings made on it
 * (auto-commit, isolation, catalog) are replayed onto whichever physical connection it binds.
 */
final class RoutingConnection implements InvocationHandler, Routed {
    private final RoutingDataSource router;
    private Connection self;
    private boolean readOnly;
    private boolean autoCommit = true;
    private int isolation = -1;
    private String catalog;
    private boolean closed;
    private RoutingDataSource.Lease lease;

    RoutingConnection(RoutingDataSource router) {
        this.router = router;
    }

    Connection proxy() {
        if (self == null) {
            self = Proxies.routing(this);
        }
        return self;
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
    public synchronized Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Routed.class) {
            return nodeName();
        }
        switch (method.getName()) {
            case "setReadOnly":
                setReadOnly((Boolean) args[0]);
                return null;
            case "isReadOnly":
                ensureOpen();
                return readOnly;
            case "setAutoCommit":
                ensureOpen();
                if (lease != null) {
                    delegate(method, args);
                }
                autoCommit = (Boolean) args[0];
                return null;
            case "getAutoCommit":
                ensureOpen();
                return autoCommit;
            case "commit":
            case "rollback":
                ensureOpen();
                if (lease == null && (args == null || args.length == 0)) {
                    return null;
                }
                return delegate(method, args);
            case "setTransactionIsolation":
                ensureOpen();
                if (lease != null) {
                    delegate(method, args);
                }
                isolation = (Integer) args[0];
                return null;
            case "setCatalog":
                ensureOpen();
                if (lease != null) {
                    delegate(method, args);
                }
                catalog = (String) args[0];
                return null;
            case "close":
                close();
                return null;
            case "isClosed":
                return closed;
            case "isValid":
                if (closed) {
                    return false;
                }
                break;
            case "toString":
                return "RoutingConnection[" + (lease == null ? "unbound" : lease.node().name())
                        + (readOnly ? ", read-only" : "") + "]";
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                break;
            case "isWrapperFor":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return true;
                }
                break;
            default:
                break;
        }
        ensureOpen();
        Object result = delegate(method, args);
        return Proxies.maybeWrapStatement(result, lease.node().meters().statements(readOnly), proxy());
    }

    private void setReadOnly(boolean wanted) throws SQLException {
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

    private Object delegate(Method method, Object[] args) throws Throwable {
        RoutingDataSource.Lease l = bind();
        try {
            return Proxies.invoke(l.physical(), method, args);
        } catch (SQLException e) {
            router.failed(l.node(), e);
            throw e;
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

    private void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        releaseLease();
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed", "08003");
        }
    }
}
