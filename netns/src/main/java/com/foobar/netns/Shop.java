package com.foobar.netns;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The foobar.com processes in a {@link Topology}, each started with {@code ip netns exec} as it would run on its own
 * server: devdb's MariaDB primary in db1 and a replica of it in db2 (replicating over the bridge), the webapp in web1
 * and web2, the balancer in lb1 and lb2 from one identical configuration file, and keepalived beside each balancer
 * holding the virtual IP. Logs go to {@code <runDir>/logs/<host>-<what>.log}. Each start waits for its readiness and
 * fails with the log's tail when it does not come.
 */
public final class Shop implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    private static final List<String> JVM = List.of("java", "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");

    private final Topology topology;
    private final Path balancerJar;
    private final Path webappJar;
    private final Path runDir;
    private final PrintStream out;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final long t0 = System.nanoTime();

    private Shop(Topology topology, Path balancerJar, Path webappJar, Path runDir, PrintStream out) {
        this.topology = topology;
        this.balancerJar = balancerJar;
        this.webappJar = webappJar;
        this.runDir = runDir;
        this.out = out;
    }

    /** Starts everything, in dependency order, and returns once the virtual IP answers from the client. */
    public static Shop start(Topology topology, Path balancerJar, Path webappJar, Path runDir, PrintStream out) {
        for (Path jar : List.of(balancerJar, webappJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new TopologyException(jar + " is missing: ./mvnw -B -q -pl balancer,webapp -am package -DskipTests");
            }
        }
        Shop shop = new Shop(topology, balancerJar, webappJar, runDir, out);
        try {
            Files.createDirectories(runDir.resolve("logs"));
            shop.startDatabase();
            shop.startWebServers();
            shop.startBalancers();
            shop.startKeepalived();
            return shop;
        } catch (IOException e) {
            shop.close();
            throw new TopologyException("run dir " + runDir + ": " + e.getMessage());
        } catch (RuntimeException e) {
            shop.close();
            throw e;
        }
    }

    public Path runDir() {
        return runDir;
    }

    /** The certificate (self-signed, www.foobar.com and foobar.com) a client trusts for https://www.foobar.com/. */
    public Path certificate() {
        return runDir.resolve("tls/cert.pem");
    }

    public Path balancerConfig() {
        return runDir.resolve("balancer.yml");
    }

    /** Kills a host's balancer with SIGKILL, as a crash would; its keepalived stays up and notices. */
    public void killBalancer(String lb) {
        Process p = processes.get(lb + "-balancer");
        p.destroyForcibly();
        out.println("[netns] " + elapsed() + " killed the balancer in " + lb + " (pid " + p.pid() + ", SIGKILL)");
    }

    public Map<String, Process> processes() {
        return Map.copyOf(processes);
    }

    private void startDatabase() {
        Plan plan = topology.plan();
        progress("starting the database: primary in db1 (" + plan.address("db1") + ":3306), then its replica in db2 ("
                + plan.address("db2") + ":3306), replicating over the bridge");
        // The accounts are bound to the nodes' clients: the two web servers, the other node (replication, either way
        // once roles move) and loopback (devdb's own checks); with the namespaces' firewalls, the third firewall.
        String clients = String.join(",", "127.0.0.1", plan.address("web1"), plan.address("web2"), plan.address("db1"),
                plan.address("db2"));
        start("db1", "devdb", concat(JVM, List.of("-cp", webappJar.toString(), "com.foobar.devdb.DevDbMain",
                "--engine", "mariadb", "--replicas", "0", "--bind", plan.address("db1"), "--primary-port", "3306",
                "--client-hosts", clients, "--data-dir", runDir.resolve("db1").toString())));
        awaitLog("db1", "devdb", "[devdb] running");
        start("db2", "devdb", concat(JVM, List.of("-cp", webappJar.toString(), "com.foobar.devdb.DevDbMain",
                "--engine", "mariadb", "--replica-of", plan.address("db1") + ":3306", "--bind", plan.address("db2"),
                "--replica-port", "3306", "--client-hosts", clients, "--data-dir", runDir.resolve("db2").toString())));
        awaitLog("db2", "devdb", "[devdb] running");
        progress("database ready: replica in db2 caught up with the primary in db1");
    }

    private void startWebServers() {
        Plan plan = topology.plan();
        progress("starting web-1 in web1 and web-2 in web2 (port " + Plan.WEB_PORT + ", trusting only lb1 and lb2)");
        for (String web : List.of("web1", "web2")) {
            start(web, "webapp", concat(JVM, List.of("-jar", webappJar.toString(),
                    "--port", String.valueOf(Plan.WEB_PORT), "--bind", "0.0.0.0", "--name", web.replace("web", "web-"),
                    "--primary", "jdbc:mysql://" + plan.address("db1") + ":3306/foobar",
                    "--replica", "jdbc:mysql://" + plan.address("db2") + ":3306/foobar",
                    "--db-user", "foobar", "--db-password", "foobar",
                    "--trusted-proxies", plan.address("lb1") + "/32," + plan.address("lb2") + "/32")));
        }
        for (String web : List.of("web1", "web2")) {
            String url = "http://" + plan.address(web) + ":" + Plan.WEB_PORT + "/ready";
            await(web + " webapp ready (" + url + " from lb1)", web, "webapp",
                    () -> topology.exec("lb1", Duration.ofSeconds(3), "curl", "-fsS", "-o", "/dev/null", "--max-time", "2", url).ok());
        }
        progress("web-1 and web-2 ready");
    }

    private void startBalancers() throws IOException {
        writeCertificate();
        Files.writeString(balancerConfig(), BalancerConfig.yaml(topology.plan(), certificate(),
                runDir.resolve("tls/key.pem"), runDir.resolve("balancer-data")));
        progress("starting the balancer in lb1 and lb2, both from " + balancerConfig());
        for (String lb : List.of("lb1", "lb2")) {
            start(lb, "balancer", concat(JVM, List.of("-jar", balancerJar.toString(), "--config", balancerConfig().toString())));
        }
        for (String lb : List.of("lb1", "lb2")) {
            await(lb + " balancer admin API", lb, "balancer", () -> topology.exec(lb, Duration.ofSeconds(3), "curl", "-fsS",
                    "-o", "/dev/null", "--max-time", "2", "http://127.0.0.1:" + Plan.ADMIN_PORT + "/api/status").ok());
        }
        progress("balancers ready");
    }

    private void writeCertificate() throws IOException {
        Path tls = Files.createDirectories(runDir.resolve("tls"));
        Commands.check("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", tls.resolve("key.pem").toString(), "-out", tls.resolve("cert.pem").toString(), "-days", "30",
                "-subj", "/CN=www.foobar.com", "-addext", "subjectAltName=DNS:www.foobar.com,DNS:foobar.com");
    }

    private void startKeepalived() throws IOException {
        Path dir = Files.createDirectories(runDir.resolve("keepalived"));
        for (String lb : List.of("lb1", "lb2")) {
            Path conf = dir.resolve(lb + ".conf");
            Files.writeString(conf, KeepalivedConfig.text(topology.plan(), lb));
            start(lb, "keepalived", List.of("keepalived", "--vrrp", "--dont-fork", "--log-console", "--log-detail",
                    "-f", conf.toString(), "-p", dir.resolve(lb + ".pid").toString(),
                    "-r", dir.resolve(lb + "-vrrp.pid").toString(), "-c", dir.resolve(lb + "-checkers.pid").toString()));
        }
        await("the virtual IP " + topology.plan().vip() + " on a balancer", "lb1", "keepalived",
                () -> topology.vipHolder() != null);
        progress("keepalived: " + topology.vipHolder() + " holds " + topology.plan().vip());
    }

    private void start(String host, String what, List<String> command) {
        Path log = runDir.resolve("logs").resolve(host + "-" + what + ".log");
        ProcessBuilder pb = new ProcessBuilder(topology.inNamespace(host, command))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            processes.put(host + "-" + what, p);
            out.println("[netns] " + elapsed() + " " + host + ": " + what + " pid " + p.pid() + ", log " + log);
        } catch (IOException e) {
            throw new TopologyException(host + ": cannot start " + what + ": " + e.getMessage());
        }
    }

    private void awaitLog(String host, String what, String line) {
        Path log = runDir.resolve("logs").resolve(host + "-" + what + ".log");
        await(host + " " + what + " to print \"" + line + "\"", host, what, () -> {
            try {
                return Files.readString(log).contains(line);
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void await(String what, String host, String process, BooleanSupplier condition) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Process p = processes.get(host + "-" + process);
        while (!condition.getAsBoolean()) {
            if (p != null && !p.isAlive()) {
                throw new TopologyException("waiting for " + what + ": " + host + " " + process + " exited with status "
                        + p.exitValue() + "; its log ends with:\n" + tail(host, process));
            }
            if (System.nanoTime() > deadline) {
                throw new TopologyException("no " + what + " after " + START_TIMEOUT.toSeconds() + " s; " + host + " "
                        + process + " log ends with:\n" + tail(host, process));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopologyException("interrupted waiting for " + what);
            }
        }
    }

    /** The last lines of a process's log, for error messages. */
    public String tail(String host, String what) {
        try {
            List<String> lines = Files.readAllLines(runDir.resolve("logs").resolve(host + "-" + what + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void progress(String line) {
        out.println("[netns] " + elapsed() + " " + line);
    }

    private String elapsed() {
        return String.format("[%5.1fs]", (System.nanoTime() - t0) / 1e9);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Deletes a run directory (the database data dirs make it ~300 MB), once everything in it has stopped. */
    public static void deleteRunDir(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.out.println("[netns] warning: cannot delete " + dir + ": " + e.getMessage());
        }
    }

    /** Stops keepalived, the balancers, the web servers, then the database (SIGTERM: each shuts down cleanly). */
    @Override
    public void close() {
        List<String> names = new ArrayList<>(processes.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            Process p = processes.get(names.get(i));
            p.destroy();
            try {
                if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
