package com.foobar.stack.process;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import sun.misc.Signal;

/**
 * The entry point of every child JVM: {@code ParentWatchingLauncher <main class> <args...>}.
 *
 * <p>It ties the child's life to the stack's. The JVM has no parent-death signal, so the stack keeps a pipe to the
 * child's stdin and never writes to it: when the stack dies, even by SIGKILL, the kernel closes that pipe, the read
 * below sees end-of-file, and the child exits through its shutdown hooks (a clean database shutdown, a drained web
 * server) instead of living on as an orphan that holds the ports and the data directory.
 *
 * <p>It also ignores SIGINT. Ctrl-C in a terminal signals the whole foreground process group at once; if every
 * child obeyed, they would stop in a random order. The stack alone takes Ctrl-C and stops them one tier at a time
 * with SIGTERM. (Where {@code setsid} exists the children are in sessions of their own and Ctrl-C does not reach
 * them at all; this covers the systems without it.)
 */
public final class ParentWatchingLauncher {

    /** Exit status when the parent is gone, as after SIGHUP (128 + 1). */
    static final int PARENT_GONE_STATUS = 129;

    private ParentWatchingLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ParentWatchingLauncher <main class> [args...]");
            System.exit(2);
        }
        ignoreInterrupt();
        watchParent(System.in);
        MethodHandle main = MethodHandles.publicLookup().findStatic(Class.forName(args[0]), "main",
                MethodType.methodType(void.class, String[].class));
        main.invoke((Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void ignoreInterrupt() {
        try {
            Signal.handle(new Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No SIGINT on this platform, or the JVM runs with -Xrs: nothing to ignore.
        }
    }

    private static void watchParent(InputStream parentPipe) {
        Thread watcher = new Thread(() -> {
            try {
                byte[] buffer = new byte[256];
                while (parentPipe.read(buffer) >= 0) {
                    // The parent never writes; anything read is ignored.
                }
            } catch (IOException e) {
                // A broken pipe means the same as end-of-file: the parent is gone.
            }
            System.err.println("[launcher] parent process is gone; shutting down");
            System.exit(PARENT_GONE_STATUS);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
