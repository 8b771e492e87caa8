package com.foobar.logging;

import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** A program as a component is one: {@link Logging#init()} first, then what {@link LoggingTest} asks of it. */
public final class LoggingChild {

    private LoggingChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("terminal")) {
            Logging.initForTerminal();
            Logging.toFile(Path.of(args[1]));
        } else {
            Logging.init();
        }
        Logging.drop("com.foobar.example.Noisy", r -> r.getThrown() instanceof UnsupportedOperationException);
        LoggerFactory.getLogger("com.foobar.example.Noisy").error("told better elsewhere",
                new UnsupportedOperationException("dropped"));
        LoggerFactory.getLogger("com.foobar.example.Noisy").error("kept");
        LoggerFactory.getLogger("org.eclipse.jetty.server.Server").info("quiet at info");
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                LoggerFactory.getLogger("com.foobar.example.Shutdown").info("logged while stopping")));
        Thread worker = new Thread(() -> {
            throw new IllegalStateException("nobody caught this");
        }, "worker-1");
        worker.start();
        worker.join();
    }
}
