package com.foobar.webapp;

import com.foobar.logging.Logging;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar webapp.jar --port 8081 --name web-1 --primary URL --replica URL --db-user U --db-password P}. */
public final class Main {

    /** Exit status for bad flags or environment, as with most command-line tools. */
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 1;

    private Main() {
    }

    public static void main(String[] args) {
        Logging.init();
        WebAppConfig config;
        try {
            config = WebAppConfig.fromArgs(args, System.getenv());
        } catch (WebAppConfig.HelpRequested e) {
            System.out.println(WebAppConfig.USAGE);
            return;
        } catch (InvalidConfigException e) {
            System.err.println("webapp: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        long started = System.nanoTime();
        WebApp app;
        try {
            app = WebApp.start(config);
        } catch (Exception e) {
            System.err.println("webapp: " + config.name() + " did not start: " + oneLine(e));
            System.exit(EXIT_FAILED);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C: stop accepting, finish what is in flight, close the pools, then let the JVM exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("webapp: " + app.name() + " shutting down gracefully");
            app.close();
            stopped.countDown();
        }, "webapp-shutdown"));
        System.out.print(app.describe().replaceFirst(" started\n",
                String.format(" started in %.1f s\n", (System.nanoTime() - started) / 1e9)));
        System.out.flush();
        try {
            app.join();
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
