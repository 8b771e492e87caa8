package com.foobar.dbrouter.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor run by the JDK's compiler on small sources, then the generated class loaded and called: what it
 * delegates, which hooks it runs, and the errors that name what a class lacks.
 */
class DelegatingProcessorTest {
    private static final String STORE = """
            package s;
            public interface Store extends AutoCloseable {
                String get(String key) throws java.sql.SQLException;
                Store child(String name) throws java.sql.SQLException;
                default int size() throws java.sql.SQLException { return -1; }
                void close() throws java.sql.SQLException;
                void note(String text) throws java.sql.SQLClientInfoException;
                <T> T unwrap(Class<T> type) throws java.sql.SQLException;
            }
            """;

    private static final String WRAPPER = """
            package s;
            import com.foobar.dbrouter.codegen.*;
            @Delegating(Store.class)
            public abstract class Logged implements Store {
                public final java.util.List<String> log;
                private final Store target;
                protected Logged(Store target, java.util.List<String> log) { this.target = target; this.log = log; }
                public static Store of(Store target, java.util.List<String> log) { return new GeneratedLogged(target, log); }
                Store delegate() { log.add("delegate"); return target; }
                @Before("get") final void counted() { log.add("before get"); }
                java.sql.SQLException failed(java.sql.SQLException e) {
                    log.add("failed"); return new java.sql.SQLException("translated", e);
                }
                @Wraps final Store wrap(Store s) { return new GeneratedLogged(s, log); }
                @Override public final void close() { log.add("own close"); }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void generatesDelegationWithHooksWrapsAndFailuresAndLeavesHandWrittenMethodsAlone() throws Exception {
        DiagnosticCollector<JavaFileObject> diagnostics = compile(Map.of("s/Store.java", STORE, "s/Logged.java", WRAPPER));
        assertThat(errors(diagnostics)).isEmpty();
        assertThat(Files.readString(dir.resolve("out/s/GeneratedLogged.java"))).doesNotContain("void close()");

        List<String> log = new ArrayList<>();
        List<String> reached = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.resolve("out").toUri().toURL()},
                getClass().getClassLoader())) {
            Class<?> store = loader.loadClass("s.Store");
            Object target = Proxy.newProxyInstance(loader, new Class<?>[] {store}, (proxy, m, args) -> {
                reached.add(m.getName());
                return switch (m.getName()) {
                    case "get" -> {
                        if ("missing".equals(args[0])) {
                            throw new SQLException("no such key");
                        }
                        yield "value of " + args[0];
                    }
                    case "child", "unwrap" -> proxy;
                    case "size" -> 7;
                    default -> null;
                };
            });
            Object wrapper = loader.loadClass("s.Logged").getMethod("of", store, List.class).invoke(null, target, log);

            assertThat(call(store, wrapper, "get", "k")).isEqualTo("value of k");
            assertThat(log).containsExactly("before get", "delegate");
            assertThat(call(store, wrapper, "size")).as("a default method goes to the target").isEqualTo(7);

            log.clear();
            Throwable failure = failure(store, wrapper, "get", "missing");
            assertThat(failure).hasMessage("translated").hasRootCauseMessage("no such key");
            assertThat(log).containsExactly("before get", "delegate", "failed");

            assertThat(call(store, wrapper, "child", "c")).as("wrapped through the @Wraps method")
                    .isNotSameAs(target).isInstanceOf(loader.loadClass("s.Logged"));
            assertThat(store.getMethod("unwrap", Class.class).invoke(wrapper, loader.loadClass("s.Logged")))
                    .as("unwrap answers for the wrapper itself").isSameAs(wrapper);

            reached.clear();
            call(store, wrapper, "close");
            assertThat(reached).as("close is hand-written").isEmpty();
        }
    }

    @Test
    void aMethodThatCannotThrowWhatTheDelegateThrowsMustBeHandWrittenAndTheErrorSaysSo() throws IOException {
        String wrapper = WRAPPER.replace("Store delegate() {", "Store delegate() throws java.sql.SQLException {");
        List<String> errors = errors(compile(Map.of("s/Store.java", STORE, "s/Logged.java", wrapper)));
        assertThat(errors).anySatisfy(e -> assertThat(e).isEqualTo("@Delegating s.Logged: note(java.lang.String) may"
                + " throw only java.sql.SQLClientInfoException and so cannot call delegate(), which throws"
                + " java.sql.SQLException: implement that method by hand"));
    }

    @Test
    void aClassWithoutTheHooksItNeedsIsRefusedNamingWhatIsMissing() throws IOException {
        String noFailed = WRAPPER.replace("java.sql.SQLException failed(", "java.sql.SQLException translate(");
        assertThat(errors(compile(Map.of("s/Store.java", STORE, "s/Logged.java", noFailed)))).contains(
                "@Delegating s.Logged: needs a method SQLException failed(SQLException)");
        String concrete = WRAPPER.replace("public abstract class Logged", "public class Logged");
        assertThat(errors(compile(Map.of("s/Store.java", STORE, "s/Logged.java", concrete)))).contains(
                "@Delegating s.Logged: must be a top-level abstract class");
    }

    private static Object call(Class<?> store, Object wrapper, String name, Object... args) throws Exception {
        Class<?>[] types = new Class<?>[args.length];
        java.util.Arrays.fill(types, String.class);
        return store.getMethod(name, types).invoke(wrapper, args);
    }

    private static Throwable failure(Class<?> store, Object wrapper, String name, Object... args) throws Exception {
        try {
            call(store, wrapper, name, args);
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
        throw new AssertionError(name + " did not fail");
    }

    private DiagnosticCollector<JavaFileObject> compile(Map<String, String> sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path src = Files.createDirectories(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("out"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            files.add(f);
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, fm, diagnostics,
                    List.of("-d", out.toString(), "-s", out.toString(), "-classpath", annotations(), "-proc:full"),
                    null, fm.getJavaFileObjectsFromPaths(files));
            task.setProcessors(List.of(new DelegatingProcessor()));
            task.call();
        }
        return diagnostics;
    }

    /** Where the annotations were loaded from (surefire's class path is a manifest-only jar). */
    private static String annotations() {
        try {
            return Path.of(Delegating.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(Locale.ROOT))
                .toList();
    }
}
