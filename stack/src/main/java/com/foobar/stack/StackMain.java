package com.foobar.stack;

import com.foobar.logging.Logging;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar foobar-stack.jar [options]}: starts the stack, prints where everything runs, and keeps it
 * running until Ctrl-C or SIGTERM, which stop it in order through a shutdown hook.
 *
 * <p>Exit status: 0 after {@code --help}; 1 when the stack could not start; 2 for invalid options, including a
 * {@code --data-dir} that cannot be created and a {@code --balancer-config} that does not load.
 */
public final class StackMain {

    static final int EXIT_START_FAILED = 1;
    static final int EXIT_INVALID_OPTIONS = 2;

    private StackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Standard error is the user's terminal: an unexpected error is one line there, its trace in data/logs/stack.log.
        Logging.initForTerminal();
        StackOptions options;
        try {
            options = StackOptions.parse(args);
        } catch (InvalidOptionException e) {
            System.err.println("foobar: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(EXIT_INVALID_OPTIONS);
            return;
        }
        if (options.help()) {
            System.out.print(StackOptions.usage());
            return;
        }
        Console console = new Console(System.out);
        Stack stack = new Stack(options, console);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stack-shutdown"));
        try {
            stack.start();
        } catch (InvalidOptionException e) {
            // Found before anything started or changed: a bad option like any other.
            System.err.println("foobar: " + e.getMessage());
            System.exit(EXIT_INVALID_OPTIONS);
            return;
        } catch (StackStartException | RuntimeException e) {
            if (stack.closing()) {
                // Ctrl-C during the start: the shutdown hook is stopping what had started.
                return;
            }
            System.err.println();
            if (e instanceof StackStartException) {
                System.err.println("foobar: the stack could not start: " + e.getMessage());
            } else {
                LoggerFactory.getLogger(StackMain.class).error("the stack could not start", e);
            }
            // The shutdown hook stops whatever had started.
            System.exit(EXIT_START_FAILED);
            return;
        }
        // Everything runs in child processes; this thread only keeps the JVM alive until it is told to stop.
        new CountDownLatch(1).await();
    }
}
