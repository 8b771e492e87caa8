package com.foobar.dbrouter;

import io.micrometer.core.instrument.Counter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;

/** The JDK proxy behind {@link RoutingDataSource#getConnection()}, and statement counting for it. */
final class Proxies {
    private static final ClassLoader LOADER = Proxies.class.getClassLoader();
    // Proxy classes resolved once: newProxyInstance looks its class up on every call, on the path of every query.
    private static final Constructor<?> CONNECTION = constructor(Connection.class, Routed.class);

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
        return CountingStatement.wrap((Statement) result, counter, owner);
    }
}
