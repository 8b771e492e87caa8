package com.foobar.stack.process;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Starts components as child JVMs, waits until they are ready, notices when one exits on its own (and restarts
 * it when asked to), and stops them: SIGTERM first, SIGKILL after the grace period, then whatever they left behind.
 *
 * <p>Every child runs {@link ParentWatchingLauncher} from this JVM's own class path, so a child needs nothing but
 * the jar the user already has, and dies with the stack even when the stack is killed outright.
 */
public final class ProcessSupervisor implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProcessSupervisor.class);

    /** How often a start waits between two readiness checks. */
    static final Duration READY_POLL = Duration.ofMillis(200);
    /** How often a long start says it is still waiting. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** After SIGKILL, how long to wait for the kernel to reap. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** A child that ran this long before crashing is restarted at once; a crash loop backs off. */
    static final Duration HEALTHY_RUN = Duration.ofSeconds(30);
    static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(30);
    /** Crashes in a row, each soon after its start, from which a child is reported as crashing in a loop. */
    static final int KEEPS_CRASHING = 3;
    /** Lines of a child's log shown when it fails to start. */
    static final int LOG_TAIL_LINES = 25;

    private final Consumer<String> notices;
    private final boolean restartCrashed;
    private final String javaExecutable;
    private final String classpath;
    private final ScheduledExecutorService restarter;
    private final List<SupervisedProcess> children = new CopyOnWriteArrayList<>();
    private volatile boolean closing;

    /**
     * @param notices        where to say what happened (a crash, a restart, a slow stop); one line per call
     * @param restartCrashed whether a restartable child that crashes is started again (the stack's default;
     *                       {@code --no-restart} turns it off)
     */
    public ProcessSupervisor(Consumer<String> notices, boolean restartCrashed) {
        this(notices, restartCrashed, ownJavaExecutable(), ownClasspath());
    }

    ProcessSupervisor(Consumer<String> notices, boolean restartCrashed, String javaExecutable, String classpath) {
        this.notices = notices;
        this.restartCrashed = restartCrashed;
        this.javaExecutable = javaExecutable;
        this.classpath = classpath;
        this.restarter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stack-restarter");
            t.setDaemon(true);
            return t;
        });
    }

    /** Launches the child and returns at once; see {@link #awaitReady(SupervisedProcess)}. */
    public SupervisedProcess launch(ChildSpec spec) throws ChildStartException {
        SupervisedProcess child = new SupervisedProcess(spec);
        children.add(child);
        spawn(child);
        return child;
    }

    /** Launches the child and waits until it is ready. */
    public SupervisedProcess start(ChildSpec spec) throws ChildStartException {
        SupervisedProcess child = launch(spec);
        awaitReady(child);
        return child;
    }

    /**
     * Waits until the child's readiness check passes.
     *
     * @throws ChildStartException if it exits first or the start timeout passes; the message ends with its log
     */
    public void awaitReady(SupervisedProcess child) throws ChildStartException {
        ChildSpec spec = child.spec();
        Process process = child.current();
        long start = System.nanoTime();
        long deadline = start + spec.startTimeout().toNanos();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        while (true) {
            if (child.stopping()) {
                throw new ChildStartException(spec.name() + " was stopped while starting");
            }
            if (!process.isAlive()) {
                throw new ChildStartException(spec.name() + " exited with status " + describeStatus(
                        process.exitValue()) + " while starting." + logTail(child));
            }
            if (checkReady(spec)) {
                child.ready(process.descendants().collect(Collectors.toList()));
                return;
            }
            long now = System.nanoTime();
            if (now - deadline > 0) {
                throw new ChildStartException(spec.name() + " (pid " + process.pid() + ") was not ready within "
                        + spec.startTimeout().toSeconds() + "s." + logTail(child));
            }
            if (now - nextProgress > 0) {
                notices.accept("  ... still waiting for " + spec.name() + " ("
                        + TimeUnit.NANOSECONDS.toSeconds(now - start) + "s)");
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            try {
                process.waitFor(READY_POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChildStartException("interrupted while waiting for " + spec.name(), e);
            }
        }
    }

    private static boolean checkReady(ChildSpec spec) {
        try {
            return spec.readiness().isReady();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Stops one child: SIGTERM, then SIGKILL if it has not exited within its grace period, then the same for any
     * process it started and left behind.
     *
     * @return whether it was running, and how long the stop took
     */
    public StopResult stop(SupervisedProcess child) {
        long start = System.nanoTime();
        SupervisedProcess.State before;
        Process process;
        synchronized (child) {
            before = child.state();
            process = child.markStopping();
        }
        List<ProcessHandle> descendants = new ArrayList<>(child.knownDescendants());
        if (process != null && process.isAlive()) {
            process.descendants().filter(d -> !descendants.contains(d)).forEach(descendants::add);
            terminate(process.toHandle(), child.spec().stopGrace(), child.name());
        }
        for (ProcessHandle leftover : descendants) {
            if (leftover.isAlive()) {
                terminate(leftover, child.spec().stopGrace(), child.name() + "'s child (pid " + leftover.pid() + ")");
            }
        }
        return new StopResult(child.name(), before, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Starts a child again, on purpose, after {@link #stop} (or after it exited and was not restarted): the same
     * spec in a new process, under the same name; returns once it is ready. Its exit from now on is a crash to
     * report again, as after its first start.
     *
     * @throws ChildStartException if it is running already, the stack is stopping, or it fails to get ready
     */
    public void startAgain(SupervisedProcess child) throws ChildStartException {
        synchronized (child) {
            if (closing) {
                throw new ChildStartException(child.name() + " cannot start: the stack is stopping");
            }
            if (child.isAlive()) {
                throw new ChildStartException(child.name() + " is running already (pid " + child.pid() + ")");
            }
            child.resume();
        }
        spawn(child);
        awaitReady(child);
    }

    /**
     * Stops several children at once, as one tier, each on a thread of its own so that one slow to drain does not
     * hold up the others' SIGTERM; returns when all have stopped, with what each stop found, in the tier's order.
     */
    public List<StopResult> stopAll(Collection<SupervisedProcess> tier) {
        List<CompletableFuture<StopResult>> stops = new ArrayList<>();
        for (SupervisedProcess child : tier) {
            stops.add(CompletableFuture.supplyAsync(() -> stop(child),
                    task -> new Thread(task, "stop-" + child.name()).start()));
        }
        return stops.stream().map(CompletableFuture::join).collect(Collectors.toList());
    }

    private void terminate(ProcessHandle handle, Duration grace, String what) {
        handle.destroy();
        if (awaitExit(handle, grace)) {
            return;
        }
        notices.accept(what + " did not stop within " + grace.toSeconds() + "s of SIGTERM; killing it");
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
        if (!awaitExit(handle, KILL_WAIT)) {
            notices.accept(what + " (pid " + handle.pid() + ") survived SIGKILL; check it with: ps -p " + handle.pid());
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        }
    }

    /** Stops every child still running, newest first, and the restart scheduler. */
    @Override
    public void close() {
        closing = true;
        List<SupervisedProcess> remaining = new ArrayList<>(children);
        java.util.Collections.reverse(remaining);
        for (SupervisedProcess child : remaining) {
            stop(child);
        }
        restarter.shutdownNow();
    }

    private void spawn(SupervisedProcess child) throws ChildStartException {
        ChildSpec spec = child.spec();
        List<String> command = command(spec);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.putAll(spec.environment());
        Path log = spec.logFile();
        boolean relayBoth = spec.stdoutRelay() != null;
        boolean relayErrors = !relayBoth && spec.stderrRelay() != null;
        builder.redirectOutput(relayBoth ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Standard error joins standard output unless it is relayed on its own (the pump appends it to the log).
        builder.redirectErrorStream(!relayErrors);
        // stdin stays a pipe that is never written: ParentWatchingLauncher exits when it closes.
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        synchronized (child) {
            if (child.stopping() || closing) {
                throw new ChildStartException(spec.name() + " was stopped before it started");
            }
            long offset;
            try {
                Files.createDirectories(log.toAbsolutePath().getParent());
                Files.writeString(log, System.lineSeparator() + "----- " + Instant.now() + " starting "
                        + spec.name() + ": " + String.join(" ", redactedForLog(command)) + System.lineSeparator(),
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
                offset = Files.size(log);
            } catch (IOException e) {
                throw new ChildStartException("cannot write " + spec.name() + "'s log " + log + ": " + e.getMessage(),
                        e);
            }
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new ChildStartException("cannot start " + spec.name() + ": " + e.getMessage(), e);
            }
            child.started(process, offset);
            if (relayBoth) {
                relay(child, process.getInputStream(), spec.stdoutRelay(), "-stdout");
            } else if (relayErrors) {
                relay(child, process.getErrorStream(), spec.stderrRelay(), "-stderr");
            }
            process.onExit().thenAccept(p -> logged("handling " + spec.name() + "'s exit", () -> exited(child, p)));
        }
    }

    /**
     * Where {@code setsid} exists, each child runs in a session of its own. Signals aimed at the stack's process
     * group (Ctrl-C in the terminal, {@code timeout}, {@code kill -TERM -PGID}) then reach the stack alone, which
     * stops the children in order, instead of hitting every tier at once. The child is not a group leader when it
     * execs {@code setsid}, so setsid does not fork and the PID we hold stays the child's.
     */
    static final Optional<String> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(path -> Files.isExecutable(Path.of(path)))
            .findFirst();

    /**
     * Copies one of the child's streams into its log line by line, telling the user the lines the spec picks while
     * the child runs; what it says once the stack stops it (its own shutdown, seen from inside) is for the log only.
     * This copy and the child's other stream append to the log, so their lines interleave without overwriting.
     */
    private void relay(SupervisedProcess child, java.io.InputStream stream,
                       java.util.function.Function<String, Optional<String>> pick, String suffix) {
        ChildSpec spec = child.spec();
        Thread pump = new Thread(() -> {
            try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    stream, StandardCharsets.UTF_8));
                 java.io.Writer out = Files.newBufferedWriter(spec.logFile(), StandardCharsets.UTF_8,
                         java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.write(line);
                    out.write(System.lineSeparator());
                    // Once per burst, not per line: a web server logs a line per request.
                    if (!in.ready()) {
                        out.flush();
                    }
                    if (!child.stopping()) {
                        pick.apply(line).ifPresent(notices);
                    }
                }
            } catch (IOException e) {
                // The child is gone, or its log cannot be written; its exit is reported on its own.
            }
        }, spec.name() + suffix);
        pump.setDaemon(true);
        pump.start();
    }

    private List<String> command(ChildSpec spec) {
        List<String> command = new ArrayList<>();
        SETSID.ifPresent(command::add);
        command.add(javaExecutable);
        command.addAll(spec.jvmOptions());
        command.add("-cp");
        command.add(classpath);
        command.add(ParentWatchingLauncher.class.getName());
        command.add(spec.mainClass());
        command.addAll(spec.args());
        return command;
    }

    /** The class path is long and says nothing useful; the log header keeps the rest. */
    private List<String> redactedForLog(List<String> command) {
        List<String> shown = new ArrayList<>(command);
        int cp = shown.indexOf("-cp");
        if (cp >= 0 && cp + 1 < shown.size() && shown.get(cp + 1).length() > 200) {
            shown.set(cp + 1, "<" + shown.get(cp + 1).split(File.pathSeparator).length + " class path entries>");
        }
        return shown;
    }

    private void exited(SupervisedProcess child, Process process) {
        synchronized (child) {
            // An exit before ready is a failed start: awaitReady reports it, with the log.
            if (child.current() != process || !child.isReady() || child.stopping() || closing) {
                return;
            }
        }
        ChildSpec spec = child.spec();
        String hint = spec.crashHint().isEmpty() ? "" : " " + spec.crashHint();
        int status = process.exitValue();
        Optional<String> stopSignal = stopSignal(status);
        if (stopSignal.isPresent()) {
            // Not the stack's own stop (that one marks the child stopping first): an operator's kill. A service
            // manager's restart-on-failure takes it as a stop on purpose, and so does the stack.
            child.markStopping();
            notices.accept("!! " + spec.name() + " (pid " + process.pid() + ") was stopped by " + stopSignal.get()
                    + " from outside the stack." + hint);
        } else {
            notices.accept("!! " + spec.name() + " (pid " + process.pid() + ") exited on its own with status "
                    + describeStatus(status) + "." + hint);
        }
        // A child that died abruptly may have left processes of its own behind (a database server, say).
        for (ProcessHandle leftover : child.knownDescendants()) {
            if (leftover.isAlive()) {
                terminate(leftover, spec.stopGrace(), spec.name() + "'s child (pid " + leftover.pid() + ")");
            }
        }
        if (!spec.restartable()) {
            return;
        }
        if (stopSignal.isPresent()) {
            notices.accept("   " + spec.name() + " stays down: a stop by signal is on purpose, not a crash to restart.");
            return;
        }
        if (!restartCrashed) {
            notices.accept("   " + spec.name() + " stays down: crash restarts are off (--no-restart).");
            return;
        }
        boolean livedLong = System.nanoTime() - child.startedNanos() > HEALTHY_RUN.toNanos();
        scheduleRestart(child, child.crashed(livedLong));
    }

    /** 1 s, 2 s, 4 s ... up to 30 s: a child that cannot start must not spin the CPU. */
    static Duration restartDelay(int consecutiveCrashes) {
        long seconds = FIRST_RESTART_DELAY.toSeconds() << Math.min(Math.max(consecutiveCrashes - 1, 0), 10);
        return Duration.ofSeconds(Math.min(seconds, MAX_RESTART_DELAY.toSeconds()));
    }

    private void scheduleRestart(SupervisedProcess child, int consecutiveCrashes) {
        Duration delay = restartDelay(consecutiveCrashes);
        synchronized (child) {
            if (child.stopping() || closing) {
                return;
            }
            notices.accept(consecutiveCrashes >= KEEPS_CRASHING
                    ? "!! " + child.name() + " keeps crashing (" + consecutiveCrashes + " times in a row, each within "
                            + HEALTHY_RUN.toSeconds() + "s of its start): next try in " + delay.toSeconds()
                            + "s, backing off to one every " + MAX_RESTART_DELAY.toSeconds() + "s; see "
                            + child.spec().logFile()
                    : "   restarting " + child.name() + " in " + delay.toSeconds() + "s"
                            + (consecutiveCrashes > 1 ? " (failure " + consecutiveCrashes + " in a row)" : ""));
            child.restartScheduled(restarter.schedule(() -> logged("restarting " + child.name(), () -> restart(child)),
                    delay.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void restart(SupervisedProcess child) {
        try {
            spawn(child);
            awaitReady(child);
            child.restarted();
            notices.accept("   " + child.name() + " is back: pid " + child.pid() + " (restart " + child.restarts() + ")");
        } catch (ChildStartException e) {
            if (child.stopping() || closing) {
                return;
            }
            notices.accept("!! restarting " + child.name() + " failed: " + e.getMessage());
            // A child that is up but never got ready is stuck: replace it, like one that died.
            child.handle().ifPresent(handle -> terminate(handle, child.spec().stopGrace(), child.name()));
            scheduleRestart(child, child.crashed(false));
        }
    }

    /**
     * Runs a task whose caller drops what it throws (an exit callback, a scheduled restart): a bug there is logged,
     * one line on the console and its trace in the stack's log, instead of vanishing with the task.
     */
    private static void logged(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("{} failed", what, e);
            throw e;
        }
    }

    /** "137 (killed by SIGKILL)" rather than a bare number. */
    static String describeStatus(int status) {
        String signal = signalName(status);
        return signal == null ? Integer.toString(status) : status + " (killed by " + signal + ")";
    }

    /** The signal a JVM's exit status reports (128 + its number), for the few that matter here; null otherwise. */
    private static String signalName(int status) {
        switch (status) {
            case 129: return "SIGHUP";
            case 130: return "SIGINT";
            case 134: return "SIGABRT";
            case 137: return "SIGKILL";
            case 139: return "SIGSEGV";
            case 143: return "SIGTERM";
            default: return null;
        }
    }

    /**
     * The signal, when the status says the child was asked to stop (SIGTERM, SIGHUP, SIGINT: its shutdown hooks ran)
     * rather than killed or crashed. SIGKILL is a crash here, as it is to a service manager: nothing asks to stop so.
     */
    static Optional<String> stopSignal(int status) {
        return status == 129 || status == 130 || status == 143 ? Optional.of(signalName(status)) : Optional.empty();
    }

    /** The end of this run's log, for a start failure. */
    private static String logTail(SupervisedProcess child) {
        Path log = child.spec().logFile();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(child.logOffset(), file.length() - 16 * 1024);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            if (tail.isEmpty()) {
                return " It wrote nothing to " + log + ".";
            }
            return " The end of " + log + ":" + System.lineSeparator() + "    "
                    + String.join(System.lineSeparator() + "    ", tail);
        } catch (IOException e) {
            return " See " + log + ".";
        }
    }

    private static String ownJavaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's class path with every entry made absolute, so children may run from any directory. */
    private static String ownClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
