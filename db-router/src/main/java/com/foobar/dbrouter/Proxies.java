package com.foobar.dbrouter;

import io.micrometer.core.instrument.Counter;
import java.lang.reflect.Constructor;
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
    // Proxy classes resolved once: newProxyInstance looks its class up on every call, on the path of every query.
    private static final Constructor<?> CONNECTION = constructor(Connection.class, Routed.class);
    private static final Constructor<?> STATEMENT = constructor(Statement.class);
    private static final Constructor<?> PREPARED = constructor(PreparedStatement.class);
    private static final Constructor<?> CALLABLE = constructor(CallableStatement.class);

    private static Constructor<?> constructor(Class<?>... interfaces) {
        try {
            return Proxy.newProxyInstance(LOADER, interfaces, (p, m, a) -> null).getClass()
                    .getConstructor(InvocationHandler.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object instantiate(Constructor<?> constructor, InvocationHandler handler) {
        try {
            return constructor.newInstance(handler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a JDBC proxy", e);
        }
    }

    private Proxies() {
    }

    /** The connection handed to {@code read()}/{@code write()} work: the router, not the work, releases it. */
    static Connection lent(Connection physical, NodePool node, boolean read) {
        return (Connection) instantiate(CONNECTION, new LentConnection(physical, node, read));
    }

    static Connection routing(RoutingConnection handler) {
        return (Connection) instantiate(CONNECTION, handler);
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
        Constructor<?> constructor = result instanceof CallableStatement ? CALLABLE
                : result instanceof PreparedStatement ? PREPARED : STATEMENT;
        return instantiate(constructor, new CountingStatement((Statement) result, counter, owner));
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
