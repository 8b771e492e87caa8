package com.foobar.balancer;

import org.slf4j.LoggerFactory;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * SIGHUP (reload) and SIGUSR1 (reopen the access log, as nginx does for logrotate) through {@code sun.misc.Signal},
 * the one hook the JDK offers, reached reflectively so the build stays free of internal-API warnings and a JDK
 * without it degrades to "no signal" instead of failing.
 */
final class Signals {

    private Signals() {
    }

    /** Runs {@code action} on each SIGHUP; says so on {@code err} where the platform has no SIGHUP. */
    static void onHangup(Runnable action, PrintStream err) {
        on("HUP", action, err);
    }

    /** Runs {@code action} on each SIGUSR1; says so on {@code err} where the platform has none. */
    static void onUser1(Runnable action, PrintStream err) {
        on("USR1", action, err);
    }

    private static void on(String name, Runnable action, PrintStream err) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object signal = signalType.getConstructor(String.class).newInstance(name);
            InvocationHandler onSignal = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle":
                        try {
                            action.run();
                        } catch (RuntimeException e) {
                            LoggerFactory.getLogger(Signals.class).error("SIG{} handling failed", name, e);
                        }
                        return null;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        return "SIG" + name + " handler";
                }
            };
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    onSignal);
            Object previous = signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
            if (name.equals("HUP") && previous == handlerType.getField("SIG_IGN").get(null)) {
                // Started with SIGHUP ignored (nohup): the JVM then keeps it ignored and our handler never runs.
                err.println("SIGHUP is ignored in this process (started under nohup?): reload by editing the file, "
                        + "which is watched, or start without nohup");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println(name.equals("HUP")
                    ? "SIGHUP reload unavailable here (" + cause.getMessage() + "); file changes still reload"
                    : "SIG" + name + " unavailable here (" + cause.getMessage() + ")");
        }
    }
}
