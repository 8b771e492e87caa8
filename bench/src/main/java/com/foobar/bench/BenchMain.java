package com.foobar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.foobar.bench.backend.BackendOptions;
import com.foobar.bench.backend.BackendServer;
import com.foobar.bench.idle.IdleClientOptions;
import com.foobar.bench.idle.IdleConnectionsClient;
import com.foobar.bench.jfr.JfrHotSpots;
import com.foobar.bench.report.ReportBuilder;
import com.foobar.bench.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The tools bench/run drives, as subcommands of one jar:
 * {@code backend}, {@code idle-clients}, {@code report}, {@code jfr-summary}, {@code free-ports} and {@code jmh}.
 */
public final class BenchMain {

    private static final String USAGE = String.join("\n",
            "usage: java -jar bench/target/bench.jar COMMAND [--option value]...",
            "  backend      --name web-1 --bind 127.0.0.1:8081 [--threads 1] [--body-bytes 100]",
            "  idle-clients --target 127.0.0.1:8080 [--connections 10000] [--concurrency 64] [--path /bytes/100]",
            "               [--host bench.local] [--settle-timeout 120s] [--hold 10m]",
            "  report       --raw raw.jsonl --meta meta.json --out-dir bench/results",
            "  jfr-summary  --file rec.jfr [--top 15] [--requests N]",
            "  free-ports   [--count 1]",
            "  jmh          [JMH options...]   (e.g. jmh -f 1 -wi 3 -i 5 LbPickBenchmark)");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0])) {
            System.out.println(USAGE);
            return;
        }
        try {
            switch (args[0]) {
                case "backend" -> backend(new CommandLine("backend", args, 1));
                case "idle-clients" -> idleClients(new CommandLine("idle-clients", args, 1));
                case "report" -> report(new CommandLine("report", args, 1));
                case "jfr-summary" -> jfrSummary(new CommandLine("jfr-summary", args, 1));
                case "free-ports" -> freePorts(new CommandLine("free-ports", args, 1));
                case "jmh" -> org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
                default -> throw new CommandLine.UsageException("unknown command \"" + args[0] + "\"\n" + USAGE);
            }
        } catch (CommandLine.UsageException | IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void backend(CommandLine cl) throws InterruptedException {
        BackendOptions options = new BackendOptions(
                cl.string("name", null),
                cl.address("bind", "127.0.0.1:0"),
                cl.integer("threads", BackendOptions.DEFAULT_THREADS),
                cl.integer("body-bytes", BackendOptions.DEFAULT_BODY_BYTES));
        cl.requireAllUsed();
        BackendServer server = BackendServer.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "backend-shutdown"));
        InetSocketAddress address = server.address();
        System.out.printf("backend %-6s http://%s:%d/  (%s, %d event-loop thread%s, default body %d B)%n",
                server.name(), address.getHostString(), address.getPort(), Transport.name(), options.threads(),
                options.threads() == 1 ? "" : "s", options.defaultBodyBytes());
        System.out.flush();
        stopped.await();
    }

    private static void idleClients(CommandLine cl) throws InterruptedException {
        InetSocketAddress target = cl.address("target", null);
        IdleClientOptions options = new IdleClientOptions(
                target,
                cl.string("host", "bench.local"),
                cl.string("path", IdleClientOptions.DEFAULT_PATH),
                cl.integer("connections", IdleClientOptions.DEFAULT_CONNECTIONS),
                cl.integer("concurrency", IdleClientOptions.DEFAULT_CONCURRENCY),
                cl.duration("connect-timeout", IdleClientOptions.DEFAULT_CONNECT_TIMEOUT),
                cl.duration("hold", IdleClientOptions.DEFAULT_HOLD));
        Duration settle = cl.duration("settle-timeout", Duration.ofMinutes(2));
        cl.requireAllUsed();
        IdleConnectionsClient.run(options, settle);
        // The shutdown hook closes the connections; event-loop threads would otherwise keep the JVM alive.
        System.exit(0);
    }

    private static void report(CommandLine cl) throws IOException {
        Path raw = Path.of(cl.string("raw", null));
        Path metaFile = Path.of(cl.string("meta", null));
        Path outDir = Path.of(cl.string("out-dir", null));
        cl.requireAllUsed();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode meta = Files.exists(metaFile) ? mapper.readTree(metaFile.toFile()) : null;
        ReportBuilder builder = new ReportBuilder(meta);
        for (JsonNode line : ReportBuilder.parseLines(mapper, Files.readString(raw, StandardCharsets.UTF_8))) {
            builder.add(line);
        }
        String markdown = builder.markdown();
        Files.createDirectories(outDir);
        writeAtomically(outDir.resolve("latest.md"), markdown);
        writeAtomically(outDir.resolve("latest.json"), mapper.writeValueAsString(builder.json()) + "\n");
        System.out.println(markdown);
    }

    /** Written next to the target and moved over it, so a reader never sees half a report. */
    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void jfrSummary(CommandLine cl) throws IOException {
        Path file = Path.of(cl.string("file", null));
        int top = cl.integer("top", 15);
        long requests = cl.longValue("requests", 0);
        cl.requireAllUsed();
        JfrHotSpots.read(file).print(System.out, top, requests);
    }

    private static void freePorts(CommandLine cl) throws IOException {
        int count = cl.integer("count", 1);
        cl.requireAllUsed();
        // All held open at once so the ports differ; closed together just before bench/run binds them.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
            StringBuilder ports = new StringBuilder();
            for (ServerSocket socket : sockets) {
                ports.append(ports.length() == 0 ? "" : " ").append(socket.getLocalPort());
            }
            System.out.println(ports);
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
