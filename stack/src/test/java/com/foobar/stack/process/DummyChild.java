package com.foobar.stack.process;

import com.foobar.logging.Logging;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A stand-in component for supervision tests, run as a child JVM. Flags:
 * {@code --port N} serve GET /health with 200 on 127.0.0.1:N;
 * {@code --on-term FILE} write FILE from a shutdown hook;
 * {@code --say-on-term TEXT} print TEXT from a shutdown hook;
 * {@code --ignore-term} make the shutdown hook hang so that only SIGKILL ends it;
 * {@code --grandchild} start a {@code sleep} process of its own;
 * {@code --say TEXT --exit N} print TEXT and exit with status N at once;
 * {@code --err TEXT} print TEXT on stderr;
 * {@code --log-error TEXT} log TEXT as an error with an exception, set up as the components' logging is;
 * {@code --record-start FILE} append this start's time (epoch milliseconds) to FILE, a line per start;
 * {@code --crash-after MILLIS} exit with status 3 that long after it runs, as a component that keeps failing.
 */
public final class DummyChild {

    private DummyChild() {
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--say":
                    System.out.println(args[++i]);
                    break;
                case "--err":
                    System.err.println(args[++i]);
                    break;
                case "--log-error":
                    Logging.init();
                    LoggerFactory.getLogger(DummyChild.class).error(args[++i], new IllegalStateException("boom"));
                    break;
                case "--exit":
                    System.exit(Integer.parseInt(args[++i]));
                    break;
                case "--port":
                    serve(Integer.parseInt(args[++i]));
                    break;
                case "--on-term":
                    Path marker = Path.of(args[++i]);
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            Files.writeString(marker, "terminated cleanly");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                    break;
                case "--say-on-term":
                    String last = args[++i];
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(last)));
                    break;
                case "--ignore-term":
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            TimeUnit.HOURS.sleep(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
                    break;
                case "--record-start":
                    Files.writeString(Path.of(args[++i]), System.currentTimeMillis() + "\n",
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    break;
                case "--crash-after":
                    long millis = Long.parseLong(args[++i]);
                    Thread crash = new Thread(() -> {
                        try {
                            TimeUnit.MILLISECONDS.sleep(millis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        Runtime.getRuntime().halt(3);
                    });
                    crash.setDaemon(true);
                    crash.start();
                    break;
                case "--grandchild":
                    new ProcessBuilder("sleep", "300").start();
                    break;
                default:
                    throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        System.out.println("dummy child running");
        Thread.currentThread().join();
    }

    private static void serve(int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }
}
