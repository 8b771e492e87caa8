package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated JDBC delegates, against targets that only record what reaches them (no I/O): every method of each
 * JDBC interface is implemented by the wrapper (no interface default runs in the driver's place) and reaches the same
 * method of the target, failures of every call go through the node's failure handling, executions are counted, and
 * what the wrappers hand out is wrapped in turn.
 */
class GeneratedDelegationTest {
    private final Counter executions = new SimpleMeterRegistry().counter("executions");
    private final NodeCalls calls = new NodeCalls(executions, e -> new SQLException("seen by the router", e));
    private final Connection owner = connectionProxy();

    /** A wrapper kind: its interface, how to make one over a target, and the methods it answers itself. */
    record Kind(Class<?> iface, Function<Object, Object> wrap, Set<String> ownBehaviour) {
        @Override
        public String toString() {
            return iface.getSimpleName();
        }
    }

    static Stream<Kind> kinds() {
        GeneratedDelegationTest t = new GeneratedDelegationTest();
        return Stream.of(
                new Kind(Statement.class, s -> RoutedStatement.wrap((Statement) s, t.calls, t.owner),
                        Set.of("getConnection")),
                new Kind(PreparedStatement.class, s -> RoutedStatement.wrap((PreparedStatement) s, t.calls, t.owner),
                        Set.of("getConnection")),
                new Kind(CallableStatement.class, s -> RoutedStatement.wrap((CallableStatement) s, t.calls, t.owner),
                        Set.of("getConnection")),
                new Kind(ResultSet.class, r -> new GeneratedRoutedResultSet((ResultSet) r, t.calls, null),
                        Set.of("getStatement")),
                new Kind(DatabaseMetaData.class, m -> new GeneratedRoutedMetaData((DatabaseMetaData) m, t.calls, t.owner),
                        Set.of("getConnection")),
                new Kind(Connection.class, c -> LentConnection.lend((Connection) c, null, t.calls),
                        Set.of("close")));
    }

    @Test
    void everyConnectionMethodIsImplementedByBothConnectionHandles() {
        for (Class<?> handle : List.of(GeneratedRoutingConnection.class, GeneratedLentConnection.class)) {
            for (Method m : Connection.class.getMethods()) {
                assertThat(implementation(handle, m).getDeclaringClass().isInterface())
                        .as("%s.%s is the interface's, not the handle's", handle.getSimpleName(), m.getName())
                        .isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyMethodIsImplementedAndReachesTheSameMethodOfTheTarget(Kind kind) throws Exception {
        List<Method> reached = new ArrayList<>();
        Object target = recording(kind.iface(), reached, null);
        Object wrapper = kind.wrap().apply(target);
        for (Method m : kind.iface().getMethods()) {
            assertThat(implementation(wrapper.getClass(), m).getDeclaringClass().isInterface())
                    .as("%s.%s is left to the interface", kind, m.getName()).isFalse();
            if (kind.ownBehaviour().contains(m.getName())) {
                continue;
            }
            reached.clear();
            m.invoke(wrapper, defaults(m));
            assertThat(reached).as("%s.%s", kind, m.getName()).hasSize(1);
            assertThat(signature(reached.get(0))).as("%s.%s", kind, m.getName()).isEqualTo(signature(m));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyFailureOfTheTargetGoesThroughTheNodesFailureHandling(Kind kind) throws Exception {
        SQLException failure = new SQLException("the target failed", "08S01");
        Object wrapper = kind.wrap().apply(recording(kind.iface(), new ArrayList<>(), failure));
        for (Method m : kind.iface().getMethods()) {
            if (kind.ownBehaviour().contains(m.getName()) || m.getExceptionTypes().length == 0) {
                continue; // a method that cannot throw (getDriverMajorVersion) has no failure to pass on
            }
            Throwable thrown = invocationFailure(wrapper, m);
            assertThat(thrown).as("%s.%s", kind, m.getName()).isInstanceOf(SQLException.class).hasRootCause(failure);
            if (Arrays.asList(m.getExceptionTypes()).contains(SQLException.class)) {
                assertThat(thrown).as("%s.%s: what the router made of it", kind, m.getName())
                        .hasMessage("seen by the router");
            }
        }
    }

    @Test
    void eachExecutionIsCountedOnceAndNothingElseIs() throws SQLException {
        PreparedStatement s = RoutedStatement.wrap(
                (PreparedStatement) recording(PreparedStatement.class, new ArrayList<>(), null), calls, owner);
        s.setInt(1, 7);
        s.executeQuery();
        s.executeUpdate();
        s.addBatch();
        s.executeBatch();
        s.getResultSet();
        assertThat(executions.count()).isEqualTo(3.0);
    }

    @Test
    void resultSetsAndTheirStatementsLeadBackToTheWrappersNotThePooledObjects() throws SQLException {
        Statement s = RoutedStatement.wrap((Statement) recording(Statement.class, new ArrayList<>(), null), calls,
                owner);
        ResultSet rs = s.executeQuery("SELECT 1");
        assertThat(rs).isInstanceOf(RoutedResultSet.class);
        assertThat(rs.getStatement()).isSameAs(s);
        assertThat(rs.getStatement().getConnection()).isSameAs(owner);
        assertThat(s.getResultSet()).isInstanceOf(RoutedResultSet.class);
        assertThat(s.getGeneratedKeys().getStatement()).isSameAs(s);

        Connection lent = LentConnection.lend(connectionProxy(), null, calls);
        assertThat(lent.createStatement().getConnection()).isSameAs(lent);
        assertThat(lent.prepareStatement("SELECT ?")).isInstanceOf(RoutedPreparedStatement.class);
        assertThat(lent.prepareCall("CALL p()")).isInstanceOf(RoutedCallableStatement.class);
        DatabaseMetaData meta = lent.getMetaData();
        assertThat(meta.getConnection()).isSameAs(lent);
        ResultSet tables = meta.getTables(null, null, "%", null);
        assertThat(tables).isInstanceOf(RoutedResultSet.class);
        assertThat(tables.getStatement()).as("JDBC: null for a metadata result set").isNull();
    }

    @Test
    void aLentConnectionClosedByItsWorkRefusesEveryCallWithoutReachingTheTarget() throws SQLException {
        List<Method> reached = new ArrayList<>();
        Connection lent = LentConnection.lend((Connection) recording(Connection.class, reached, null), null, calls);
        lent.close();
        assertThatThrownBy(lent::createStatement).isInstanceOf(SQLException.class)
                .hasMessage("connection was closed by the work using it");
        assertThatThrownBy(() -> lent.setClientInfo("ApplicationName", "shop"))
                .isInstanceOf(java.sql.SQLClientInfoException.class)
                .hasMessage("connection was closed by the work using it");
        assertThat(reached).isEmpty();
        assertThat(lent.unwrap(LentConnection.class)).isSameAs(lent);
    }

    private static Method implementation(Class<?> cls, Method m) {
        try {
            return cls.getMethod(m.getName(), m.getParameterTypes());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(cls + " lacks " + m, e);
        }
    }

    private static Throwable invocationFailure(Object wrapper, Method m) throws IllegalAccessException {
        try {
            m.invoke(wrapper, defaults(m));
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
        throw new AssertionError(m + " did not fail although its target did");
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.toString(m.getParameterTypes());
    }

    private static Object[] defaults(Method m) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            // unwrap(Class) and isWrapperFor(Class) on a type the wrapper is not, so that they reach the target.
            args[i] = types[i] == Class.class ? java.sql.Clob.class : zero(types[i]);
        }
        return args;
    }

    private static Object zero(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }

    private static Connection connectionProxy() {
        return (Connection) recording(Connection.class, new ArrayList<>(), null);
    }

    /**
     * A target that records each call and answers with a zero, or a recording target of the JDBC type the method
     * returns (so that what wrappers hand out can be followed), or throws {@code failure}.
     */
    private static Object recording(Class<?> iface, List<Method> reached, SQLException failure) {
        return Proxy.newProxyInstance(GeneratedDelegationTest.class.getClassLoader(), new Class<?>[] {iface},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("equals") ? proxy == args[0]
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                                : iface.getSimpleName() + " target";
                    }
                    reached.add(method);
                    if (failure != null && method.getExceptionTypes().length > 0) {
                        // A method that may throw only SQLClientInfoException gets one, carrying the failure.
                        throw Arrays.asList(method.getExceptionTypes()).contains(SQLException.class) ? failure
                                : new java.sql.SQLClientInfoException(failure.getMessage(), null, failure);
                    }
                    Class<?> r = method.getReturnType();
                    if (r.isInterface() && r.getPackageName().equals("java.sql")) {
                        return recording(r, new ArrayList<>(), null);
                    }
                    return zero(r);
                });
    }
}
