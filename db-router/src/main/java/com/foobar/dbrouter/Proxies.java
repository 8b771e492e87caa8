package com.foobar.dbrouter;

import io.micrometer.core.instrument.Counter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** JDK proxies that count statements per node and kind without otherwise changing JDBC behaviour. */
final class Proxies {
    private static final ClassLoader LOADER = Proxies.class.getClassLoader();
    private static final Class<?>[] CONNECTION = {Connection.class, Routed.class};

    private Proxies() {
    }

    /** The connection handed to {@code read()}/{@code write()} work: the router, not the work, releases it. */
    static Connection lent(Connection physical, NodePool node, boolean read) {
        return (Connection) Proxy.newProxyInstance(LOADER, CONNECTION, new LentConnection(physical, node, read));
    }

    static Connection routing(RoutingConnection handler) {
        return (Connection) Proxy.newProxyInstance(LOADER, CONNECTION, handler);
    }

    static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Wraps statements made by {@code method} so that each execution is counted. */
    static Object maybeWrapStatement(Object result, Counter counter, Connection owner) {
        if (!(result instanceof Statement)) {
            return result;
        }
        Class<?> iface = result instanceof CallableStatement ? CallableStatement.class
                : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return Proxy.newProxyInstance(LOADER, new Class<?>[] {iface}, new CountingStatement((Statement) result, counter, owner));
    }

    private static final class LentConnection implements InvocationHandler, Routed {
        private final Connection physical;
        private final NodePool node;
        private final Counter statements;
        private volatile boolean closed;

        LentConnection(Connection physical, NodePool node, boolean read) {
            this.physical = physical;
            this.node = node;
            this.statements = node.meters().statements(read);
        }

        @Override
        public String nodeName() {
            return node.name();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (method.getDeclaringClass() == Routed.class) {
                return nodeName();
            }
            switch (name) {
                case "close":
                    // The router commits or releases; work that closes its connection early just stops using it.
                    closed = true;
                    return null;
                case "isClosed":
                    return closed || physical.isClosed();
                case "toString":
                    return "RoutedConnection[" + node.name() + "]";
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
            if (closed) {
                throw new SQLException("connection was closed by the work using it", "08003");
            }
            Object result = Proxies.invoke(physical, method, args);
            return maybeWrapStatement(result, statements, (Connection) proxy);
        }
    }

    private static final class CountingStatement implements InvocationHandler {
        private final Statement target;
        private final Counter counter;
        private final Connection owner;

        CountingStatement(Statement target, Counter counter, Connection owner) {
            this.target = target;
            this.counter = counter;
            this.owner = owner;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("execute")) {
                counter.increment();
            } else if (name.equals("getConnection")) {
                return owner;
            } else if (name.equals("unwrap") && ((Class<?>) args[0]).isInstance(proxy)) {
                return proxy;
            } else if (name.equals("toString")) {
                return "Counted" + target;
            } else if (name.equals("hashCode")) {
                return System.identityHashCode(proxy);
            } else if (name.equals("equals")) {
                return proxy == args[0];
            }
            return Proxies.invoke(target, method, args);
        }
    }
}
