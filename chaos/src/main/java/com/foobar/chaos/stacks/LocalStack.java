package com.foobar.chaos.stacks;

import com.foobar.chaos.load.Clock;
import com.foobar.chaos.load.ShopEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The no-Docker stack, started by the suite as a user starts it ({@code foobar-stack.jar}) on free loopback ports
 * with a throw-away data directory, {@code --restart-crashed} and its control API, and stopped whatever the exit: the
 * stack runs under its own {@code ParentWatchingLauncher}, so if this JVM dies, even by SIGKILL, the pipe on the
 * stack's stdin closes and the stack stops everything in order.
 */
public final class LocalStack implements Target {

    static final String READY_LINE = "Foobar Stack is up in";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /**
     * The stack stops in order and gives the database up to 60 s; the suite waits this long for all of it. The data
     * is thrown away, so past this the rest is killed, and the report says so.
     */
    static final Duration STOP_PATIENCE = Duration.ofSeconds(30);
    private static final String HOST = "www.foobar.com";

    /** A row of the stack's startup table. */
    record Row(String component, String address, long pid) {
    }

    private final Process process;
    private final Path work;
    private final boolean keepWork;
    private final int publicPort;
    private final BalancerAdmin admin;
    private final StackControl control;
    private final Map<String, Row> table;
    private final JdbcDatabase database;
    private final Consumer<String> progress;
    private final List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private LocalStack(Process process, Path work, boolean keepWork, int publicPort, BalancerAdmin admin,
                       StackControl control, Map<String, Row> table, JdbcDatabase database,
                       Consumer<String> progress) {
        this.process = process;
        this.work = work;
        this.keepWork = keepWork;
        this.publicPort = publicPort;
        this.admin = admin;
        this.control = control;
        this.table = table;
        this.database = database;
        this.progress = progress;
    }

    /**
     * Starts the stack from a copy of {@code stackJar} (a rebuild of target/ meanwhile cannot break it) and returns
     * once it is up, with its table read.
     *
     * @param stackLines gets every line the stack prints, as it prints it
     */
    public static LocalStack start(Path stackJar, Path work, boolean keepWork, Consumer<String> progress,
                                   Consumer<String> stackLines) throws IOException {
        Files.createDirectories(work);
        Path jar = work.resolve("foobar-stack.jar");
        Files.copy(stackJar, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int base = Ports.consecutiveFree(7);
        int publicPort = base;
        int adminPort = base + 1;
        int controlPort = base + 2;
        int webPort = base + 3;
        int dbPort = base + 5;
        Path data = work.resolve("data");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", jar.toString(), "com.foobar.stack.process.ParentWatchingLauncher", "com.foobar.stack.StackMain",
                "--bind", "127.0.0.1", "--port", Integer.toString(publicPort),
                "--admin-port", Integer.toString(adminPort), "--web-port", Integer.toString(webPort),
                "--db-port", Integer.toString(dbPort), "--data-dir", data.toString(), "--fresh",
                "--restart-crashed", "--control-port", Integer.toString(controlPort)));
        progress.accept("starting the stack: " + String.join(" ", command.subList(5, command.size())));
        Path log = work.resolve("stack.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        // stdin stays a pipe this JVM never writes: the stack's launcher stops it when the pipe closes.
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch up = new CountDownLatch(1);
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                boolean ready = false;
                for (String line; (line = in.readLine()) != null; ) {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                    lines.add(line);
                    // Once up, the stack's own progress lines ([ 84.3s] ...): crashes, restarts, the balancer's
                    // view, control actions. The table and the hints are in the log.
                    if (ready && line.startsWith("[")) {
                        stackLines.accept(line);
                    }
                    if (line.startsWith(READY_LINE)) {
                        ready = true;
                    }
                    // The table follows the ready line; it is complete at the "Try:" line.
                    if (ready && line.startsWith("Try:")) {
                        up.countDown();
                    }
                }
            } catch (IOException e) {
                // The stack is gone; its exit is noticed by the waits below.
            }
            up.countDown();
        }, "stack-output");
        pump.setDaemon(true);
        pump.start();
        try {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!up.await(5, TimeUnit.SECONDS)) {
                if (System.nanoTime() > deadline) {
                    destroy(process, STOP_PATIENCE);
                    throw new IOException("the stack was not up within " + START_TIMEOUT.toMinutes() + " min; see "
                            + log);
                }
                progress.accept("  ... the stack is starting (" + lastLine(lines) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy(process, STOP_PATIENCE);
            throw new IOException("interrupted", e);
        }
        if (!process.isAlive()) {
            throw new IOException("the stack exited while starting; the end of " + log + ":\n    "
                    + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
        Map<String, Row> table = parseTable(new ArrayList<>(lines));
        progress.accept("stack up: " + table.values().stream().map(r -> r.component() + " pid " + r.pid())
                .toList());
        JdbcDatabase database = JdbcDatabase.fromEndpoints(data.resolve("db/endpoints.json"));
        return new LocalStack(process, work, keepWork, publicPort,
                new BalancerAdmin(URI.create("http://127.0.0.1:" + adminPort)),
                new StackControl(URI.create("http://127.0.0.1:" + controlPort)), table, database, progress);
    }

    private static String lastLine(List<String> lines) {
        synchronized (lines) {
            return lines.isEmpty() ? "no output yet" : lines.get(lines.size() - 1).strip();
        }
    }

    /**
     * The table the stack prints once up: after {@link #READY_LINE}, a header line {@code component address pid log}
     * and one row per component, columns separated by two spaces or more.
     */
    static Map<String, Row> parseTable(List<String> lines) {
        Map<String, Row> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("component") && t.contains("pid")) {
                inTable = true;
                continue;
            }
            if (!inTable) {
                continue;
            }
            if (t.isEmpty()) {
                break;
            }
            String[] cells = t.split("\\s{2,}");
            if (cells.length >= 3 && cells[2].matches("\\d+")) {
                rows.put(cells[0], new Row(cells[0], cells[1], Long.parseLong(cells[2])));
            } else if (cells.length >= 3) {
                rows.put(cells[0], new Row(cells[0], cells[1], -1));
            }
        }
        return rows;
    }

    @Override
    public String description() {
        return "the no-Docker stack (stack/target/foobar-stack.jar: " + String.join(", ", table.keySet())
                + "; --restart-crashed, on free loopback ports, fresh data)";
    }

    @Override
    public ShopEndpoint shop() {
        return new ShopEndpoint(HOST, new InetSocketAddress("127.0.0.1", publicPort));
    }

    @Override
    public BalancerAdmin admin() {
        return admin;
    }

    @Override
    public List<String> webServers() {
        return table.keySet().stream().filter(n -> n.matches("web-\\d+")).toList();
    }

    /** The pid running the component now: the control API knows restarts; the table the rest. */
    long pid(String component) throws IOException {
        StackControl.Component c = control.components().get(component);
        if (c != null && c.pid() > 0) {
            return c.pid();
        }
        Row row = table.get(component);
        if (row == null || row.pid() <= 0) {
            throw new IOException("the stack shows no process for " + component);
        }
        return row.pid();
    }

    @Override
    public double kill(String component, Clock clock) throws IOException {
        return Processes.killAndAwait(pid(component), component, clock);
    }

    @Override
    public String afterKill(String component) {
        if (component.startsWith("web-") || component.equals("balancer")) {
            return "the stack restarts it (--restart-crashed)";
        }
        return "the stack restarts a crashed database node only if devdb does (it comes with db-failover)";
    }

    @Override
    public void bringBack(String component) {
        // The stack's supervisor (or devdb) brings it back, or nothing does; the scenario reports which.
    }

    @Override
    public void stop(String component) throws IOException {
        control.stop(component);
    }

    @Override
    public void start(String component) throws IOException {
        control.start(component);
    }

    @Override
    public boolean running(String component) throws IOException {
        StackControl.Component c = control.components().get(component);
        return c != null && c.state().equals("running");
    }

    @Override
    public Optional<String> lacks(Capability capability) {
        boolean failover = table.keySet().stream().anyMatch(n -> n.startsWith("db-failover"));
        return switch (capability) {
            case DB_FAILOVER -> failover ? Optional.empty() : Optional.of("not available in this stack: it runs no "
                    + "db-failover process (its startup table has no db-failover row), so nothing promotes a replica");
            case DB_NODE_RESTART -> failover ? Optional.empty() : Optional.of("not available in this stack: devdb "
                    + "does not restart a crashed mariadbd yet (that comes with db-failover)");
            case BALANCER_PAIR -> Optional.of("not available in this stack: the no-Docker stack runs one balancer; "
                    + "the pair with a virtual IP lives in compose (chaos/run --compose)");
        };
    }

    @Override
    public Database database() {
        return database;
    }

    /**
     * SIGTERM: the stack stops the balancer, the web servers, then the database, in order. Past
     * {@link #STOP_PATIENCE} the stack and every process under it are killed, and {@link #notes()} says so.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            progress.accept("stopping the stack (pid " + process.pid() + ")");
            long start = System.nanoTime();
            boolean clean = destroy(process, STOP_PATIENCE);
            String took = String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
            if (clean) {
                progress.accept("the stack stopped in " + took);
                notes.add("The stack stopped in order (SIGTERM) in " + took + " after the run.");
            } else {
                String note = "The stack did not stop within " + STOP_PATIENCE.toSeconds() + " s of SIGTERM after "
                        + "the run; the suite killed it and its processes (its last lines: "
                        + lastLinesOf(work.resolve("stack.log"), 3) + ").";
                progress.accept("!! " + note);
                notes.add(note);
            }
        }
        if (!keepWork) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                progress.accept("could not remove " + work + ": " + e.getMessage());
            }
        }
    }

    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private static String lastLinesOf(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size())).strip();
        } catch (IOException e) {
            return "see " + log;
        }
    }

    /** SIGTERM, then SIGKILL of the stack and everything under it after {@code patience}; true if it stopped. */
    private static boolean destroy(Process process, Duration patience) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        boolean clean = true;
        try {
            if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                clean = false;
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle left : tree) {
            if (left.isAlive()) {
                left.destroyForcibly();
            }
        }
        return clean;
    }
}
