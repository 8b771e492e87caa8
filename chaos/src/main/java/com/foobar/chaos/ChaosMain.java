package com.foobar.chaos;

import com.foobar.chaos.load.LoadProfile;
import com.foobar.chaos.load.ShopClient;
import com.foobar.chaos.load.ShopEndpoint;
import com.foobar.chaos.report.MarkdownReport;
import com.foobar.chaos.report.TimelineChart;
import com.foobar.chaos.scenario.KillActiveBalancer;
import com.foobar.chaos.scenario.KillPrimary;
import com.foobar.chaos.scenario.KillReplica;
import com.foobar.chaos.scenario.KillWebServer;
import com.foobar.chaos.scenario.OldPrimaryReturns;
import com.foobar.chaos.scenario.Phases;
import com.foobar.chaos.scenario.RollingRestart;
import com.foobar.chaos.scenario.RollingRestartProcedure;
import com.foobar.chaos.scenario.Scenario;
import com.foobar.chaos.scenario.ScenarioContext;
import com.foobar.chaos.scenario.ScenarioResult;
import com.foobar.chaos.scenario.Verdict;
import com.foobar.chaos.stacks.BalancerAdmin;
import com.foobar.chaos.stacks.ComposeTarget;
import com.foobar.chaos.stacks.LocalStack;
import com.foobar.chaos.stacks.StackControl;
import com.foobar.chaos.stacks.Target;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code java -jar chaos.jar run [options]}: the chaos suite (see chaos/README.md). {@code rolling-restart}: the
 * rolling restart alone, against a running no-Docker stack.
 *
 * <p>Exit status: 0 when no scenario failed (scenarios the stack cannot run are reported, not failed); 1 when one
 * failed or the target could not be started; 2 for invalid options.
 */
public final class ChaosMain {

    private static final long STARTED = System.nanoTime();
    /** Products the run's orders spread over, as a real catalogue's do, so no single row lock serialises them. */
    static final int PRODUCTS = 8;

    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        String command = args.length == 0 ? "run" : args[0];
        try {
            switch (command) {
                case "run" -> System.exit(run(RunOptions.parse(rest)));
                case "rolling-restart" -> System.exit(rollingRestart(rest));
                case "-h", "--help", "help" -> System.out.print(RunOptions.USAGE + ROLLING_USAGE);
                default -> throw new IllegalArgumentException(command + ": unknown command (run, rolling-restart)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("chaos: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("chaos: " + e.getMessage());
            System.exit(1);
        }
    }

    static void progress(String line) {
        System.out.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, line);
        System.out.flush();
    }

    static List<Scenario> suite() {
        return List.of(new KillWebServer(), new RollingRestart(), new KillReplica(), new KillPrimary(),
                new OldPrimaryReturns(), new KillActiveBalancer());
    }

    private static int run(RunOptions options) throws IOException {
        Path work = options.work() != null ? options.work() : Files.createTempDirectory("foobar-chaos-");
        List<ScenarioResult> results = new ArrayList<>();
        AtomicReference<Target> started = new AtomicReference<>();
        // Whatever the exit (Ctrl-C, SIGTERM, an error), what the suite started is stopped.
        Thread cleanup = new Thread(() -> {
            Target t = started.getAndSet(null);
            if (t != null) {
                t.close();
            }
        }, "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Phases phases = options.shortForm() ? Phases.shortForm() : Phases.fullForm();
        LoadProfile profile = new LoadProfile(options.reads(), options.writes(), Duration.ofSeconds(1),
                Duration.ofSeconds(5), 256, Duration.ofMinutes(5));
        String targetDescription;
        try (MachineLoad load = new MachineLoad()) {
            Target target;
            try {
                target = options.compose()
                        ? ComposeTarget.up(options.root(), ChaosMain::progress)
                        : LocalStack.start(options.root().resolve("stack/target/foobar-stack.jar"), work,
                        options.keepWork(), ChaosMain::progress, line -> progress("  stack | " + line));
            } catch (IOException | RuntimeException e) {
                progress("the target could not be started: " + e.getMessage());
                return 1;
            }
            started.set(target);
            targetDescription = target.description();
            List<Long> productIds = new ArrayList<>();
            try (ShopClient shop = new ShopClient(target.shop())) {
                for (int i = 1; i <= PRODUCTS; i++) {
                    productIds.add(shop.createProduct("chaos " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " #"
                            + i));
                }
            } catch (IOException e) {
                progress("the shop does not take the run's product: " + e.getMessage());
                return 1;
            }
            String loadDescription = describe(profile, target.shop());
            progress("load: " + loadDescription + "; orders are placed for products " + productIds);
            ScenarioContext context = new ScenarioContext(target, profile, phases, productIds, ChaosMain::progress);
            warmUp(context);
            for (Scenario scenario : suite()) {
                if (!options.wants(scenario.name())) {
                    continue;
                }
                results.add(runOne(scenario, context));
            }
            Target t = started.getAndSet(null);
            if (t != null) {
                t.close();
            }
            MarkdownReport.Run run = new MarkdownReport.Run(options.commit(), options.shortForm() ? "short" : "full",
                    targetDescription, MachineLoad.machine(), load.describe(), loadDescription,
                    (System.nanoTime() - STARTED) / 1_000_000_000L,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), target.notes());
            write(options.outDir(), run, results);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook runs.
            }
            if (!options.keepWork() && options.work() == null) {
                deleteQuietly(work);
            } else {
                progress("work files kept in " + work);
            }
        }
        long failed = results.stream().filter(r -> r.verdict() == Verdict.FAIL).count();
        long passed = results.stream().filter(r -> r.verdict() == Verdict.PASS).count();
        long unavailable = results.stream().filter(r -> r.verdict() == Verdict.NOT_AVAILABLE).count();
        System.out.println();
        System.out.println("chaos: " + passed + " passed, " + failed + " failed" + (unavailable > 0 ? ", "
                + unavailable + " skipped" : "") + " (not available in this stack: " + unavailable + ")");
        // 3, not 1: a missed goal is a finding, told apart from a suite that could not run (1) or bad usage (2).
        return failed == 0 ? 0 : 3;
    }

    private static ScenarioResult runOne(Scenario scenario, ScenarioContext context) {
        System.out.println();
        progress("== " + scenario.name() + ": " + scenario.goal());
        ScenarioResult result;
        java.util.Optional<String> why = scenario.unavailable(context.target());
        if (why.isPresent()) {
            result = ScenarioResult.notAvailable(scenario, why.get());
        } else {
            try {
                awaitSteady(context);
                result = scenario.run(context);
            } catch (Exception e) {
                result = new ScenarioResult(scenario.name(), scenario.goal(), Verdict.FAIL,
                        "could not be carried out: " + e, List.of(), List.of(), List.of());
            }
        }
        result = withSteadiness(result);
        progress(String.format(Locale.ROOT, "%s: %s: %s", scenario.name(), result.verdict(), result.measured()));
        return result;
    }

    /**
     * Failures before the first fault mean the stack was not steady when it was broken (a loaded machine, typically):
     * the result stands, and says so, so that nobody reads the fault's effect into them.
     */
    static ScenarioResult withSteadiness(ScenarioResult r) {
        java.util.Optional<Double> fault = r.marks().stream().filter(m -> m.kind() == com.foobar.chaos.scenario.Mark
                .Kind.FAULT).map(com.foobar.chaos.scenario.Mark::ms).min(Double::compare);
        if (fault.isEmpty()) {
            return r;
        }
        long before = r.records().stream().filter(x -> !x.ok() && x.startMs() < fault.get()).count();
        if (before == 0) {
            return r;
        }
        return new ScenarioResult(r.name(), r.goal(), r.verdict(), r.measured() + "; " + before + " requests failed "
                + "BEFORE the fault: the stack was not steady (see the machine's load)", r.details(), r.records(),
                r.marks());
    }

    /**
     * The same load, unrecorded by any scenario, before the first one: freshly started JVMs (the balancer, the web
     * servers, their pools) answer slowly until their hot paths are compiled, and the first scenario would measure
     * that instead of its fault. Its failures are told, not judged.
     */
    private static void warmUp(ScenarioContext context) {
        Duration length = context.phases().warmup().multipliedBy(3);
        progress("warm-up: " + length.toSeconds() + " s of the load before the first scenario (not judged)");
        com.foobar.chaos.load.LoadGenerator load = com.foobar.chaos.load.LoadGenerator.start(context.target().shop(),
                context.profile(), new com.foobar.chaos.load.Clock(), context.productIds());
        try {
            Thread.sleep(length.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        com.foobar.chaos.load.LoadSummary summary = new com.foobar.chaos.load.LoadSummary(load.stop());
        progress("warm-up: " + summary.records().size() + " requests, " + summary.failed() + " failed"
                + (summary.failed() == 0 ? "" : " (" + summary.describeFailures(r -> true) + ")"));
    }

    /** Every web server up in the balancer before a scenario starts, so it begins from a steady state. */
    private static void awaitSteady(ScenarioContext context) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            var servers = context.target().admin().servers(context.target().pool());
            if (servers.values().stream().allMatch(s -> s.state().equals("up"))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("not every web server is up in the balancer before the scenario: " + servers);
            }
            Thread.sleep(200);
        }
    }

    private static String describe(LoadProfile p, ShopEndpoint shop) {
        return String.format(Locale.ROOT, "%d reads/s (GET /, /products/{id}, /api/products, /api/products/{id}) and "
                + "%d writes/s (POST /api/orders, over " + PRODUCTS + " products) at a fixed rate through the balancer, Jetty HttpClient with "
                + "keep-alive, connect timeout %d ms, request timeout %d s, at most %d in flight",
                p.readsPerSecond(), p.writesPerSecond(), p.connectTimeout().toMillis(),
                p.requestTimeout().toSeconds(), p.maxInFlight())
                // Said where it differs from the no-Docker stack's plain HTTP: TLS handshakes are in what's measured.
                + (shop.tls() ? ", over HTTPS (HTTP/1.1; the certificate checked for " + shop.host() + " against the "
                + "balancers' CA only)" : "");
    }

    private static void write(Path outDir, MarkdownReport.Run run, List<ScenarioResult> results) throws IOException {
        Files.createDirectories(outDir);
        for (ScenarioResult r : results) {
            Path png = outDir.resolve(r.name() + ".png");
            Files.deleteIfExists(png);
            if (!r.records().isEmpty()) {
                TimelineChart.write(r, png);
            }
        }
        Path md = outDir.resolve("latest.md");
        Files.writeString(md, MarkdownReport.render(run, results));
        progress("written: " + md + (results.stream().anyMatch(r -> !r.records().isEmpty())
                ? " and a plot per scenario that ran" : ""));
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }

    static final String ROLLING_USAGE = String.join("\n",
            "usage: chaos.jar rolling-restart --admin URL --control URL [--pool web] [--servers web-1,web-2]",
            "  drains each server through the balancer's admin API, waits for its in-flight requests to reach 0,",
            "  restarts it through the stack's control API (foobar --control-port), enables it, waits until it is up",
            "");

    private static int rollingRestart(List<String> args) throws IOException, InterruptedException {
        URI admin = URI.create("http://127.0.0.1:9090");
        URI control = null;
        String pool = "web";
        List<String> servers = null;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + ": needs a value");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--admin" -> admin = URI.create(value);
                case "--control" -> control = URI.create(value);
                case "--pool" -> pool = value;
                case "--servers" -> servers = List.of(value.split(","));
                default -> throw new IllegalArgumentException(flag + ": unknown option");
            }
        }
        if (control == null) {
            throw new IllegalArgumentException("--control: needs the stack's control API, e.g. http://127.0.0.1:9190 "
                    + "(start the stack with --control-port 9190)");
        }
        BalancerAdmin balancer = new BalancerAdmin(admin);
        StackControl stack = new StackControl(control);
        List<String> order = servers != null ? servers : new ArrayList<>(balancer.servers(pool).keySet());
        progress("rolling restart of " + order + " (pool " + pool + ")");
        RollingRestartProcedure procedure = new RollingRestartProcedure(balancer, pool,
                new RollingRestartProcedure.Restarter() {
                    @Override
                    public void stop(String server) throws IOException {
                        stack.stop(server);
                    }

                    @Override
                    public void start(String server) throws IOException {
                        stack.start(server);
                    }
                }, Duration.ofSeconds(60), Duration.ofSeconds(120), (server, step) -> progress(server + ": " + step));
        try {
            procedure.restart(order);
        } catch (IOException e) {
            progress("rolling restart stopped: " + e.getMessage());
            return 1;
        }
        progress("rolling restart done");
        return 0;
    }
}
