package com.foobar.stack.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.foobar.logging.LogLine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSupervisorTest {

    @TempDir
    Path dir;

    private final List<String> notices = new CopyOnWriteArrayList<>();
    private ProcessSupervisor supervisor;

    @AfterEach
    void stopEverything() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private ProcessSupervisor supervisor(boolean restartCrashed) {
        supervisor = new ProcessSupervisor(notices::add, restartCrashed);
        return supervisor;
    }

    private ChildSpec.Builder dummy(String name, String... args) {
        return ChildSpec.builder(name, DummyChild.class.getName())
                .jvmOptions("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .args(args)
                .logFile(dir.resolve(name + ".log"))
                // Ready once main has run, so its shutdown hooks are in place before a test signals it.
                .readiness(() -> Files.readString(dir.resolve(name + ".log")).contains("dummy child running"))
                .startTimeout(Duration.ofSeconds(30));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static ReadinessCheck health(int port) {
        return ReadinessCheck.httpOk(URI.create("http://127.0.0.1:" + port + "/health"));
    }

    @Test
    void startReturnsOnceTheChildAnswersItsReadinessCheck() throws Exception {
        int port = freePort();
        SupervisedProcess child = supervisor(false).start(dummy("web", "--port", Integer.toString(port))
                .readiness(health(port)).build());

        assertThat(child.isAlive()).isTrue();
        assertThat(child.pid()).isPositive().isNotEqualTo(ProcessHandle.current().pid());
        assertThat(health(port).isReady()).isTrue();
        assertThat(Files.readString(dir.resolve("web.log"))).contains("starting web:", "dummy child running");
    }

    @Test
    void stopSendsSigtermSoTheChildShutsDownThroughItsHooks() throws Exception {
        Path marker = dir.resolve("terminated");
        SupervisedProcess child = supervisor(false).start(dummy("db", "--on-term", marker.toString()).build());

        supervisor.stop(child);

        assertThat(child.isAlive()).isFalse();
        assertThat(marker).hasContent("terminated cleanly");
        assertThat(notices).noneMatch(n -> n.contains("killing"));
    }

    @Test
    void stopKillsAChildThatOutlivesItsGracePeriod() throws Exception {
        SupervisedProcess child = supervisor(false).start(dummy("stubborn", "--ignore-term")
                .stopGrace(Duration.ofSeconds(1)).build());
        ProcessHandle handle = child.handle().orElseThrow();

        Duration took = supervisor.stop(child).took();

        assertThat(handle.isAlive()).isFalse();
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(10));
        assertThat(notices).anyMatch(n -> n.contains("stubborn did not stop within 1s of SIGTERM; killing it"));
    }

    @Test
    void stopAllStopsEveryChildOfATierThroughItsHooks() throws Exception {
        supervisor(false);
        List<SupervisedProcess> tier = new java.util.ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            tier.add(supervisor.start(dummy("web-" + i, "--on-term", dir.resolve("web-" + i + ".stopped").toString())
                    .build()));
        }

        supervisor.stopAll(tier);

        assertThat(tier).noneMatch(SupervisedProcess::isAlive);
        assertThat(dir.resolve("web-1.stopped")).hasContent("terminated cleanly");
        assertThat(dir.resolve("web-2.stopped")).hasContent("terminated cleanly");
    }

    @Test
    void stopLeavesNoGrandchildBehind() throws Exception {
        SupervisedProcess child = supervisor(false).start(dummy("parent", "--grandchild").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> child.handle().orElseThrow().descendants().count() == 1);
        List<ProcessHandle> tree = child.handle().orElseThrow().descendants().collect(Collectors.toList());

        supervisor.stop(child);

        assertThat(tree).isNotEmpty().noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aCrashIsReportedAndTheChildStaysDownWithNoRestart() throws Exception {
        SupervisedProcess child = supervisor(false).start(dummy("web-1").crashHint("Traffic moves on.").build());
        long pid = child.pid();

        child.handle().orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notices)
                .anyMatch(n -> n.equals("!! web-1 (pid " + pid + ") exited on its own with status 137 (killed by "
                        + "SIGKILL). Traffic moves on."))
                .anyMatch(n -> n.equals("   web-1 stays down: crash restarts are off (--no-restart).")));
        assertThat(child.isAlive()).isFalse();
        assertThat(child.restarts()).isZero();
    }

    @Test
    void restartCrashedBringsACrashedChildBackUnderANewPid() throws Exception {
        int port = freePort();
        SupervisedProcess child = supervisor(true).start(dummy("web-1", "--port", Integer.toString(port))
                .readiness(health(port)).build());
        long firstPid = child.pid();

        child.handle().orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(child.restarts()).isEqualTo(1);
            assertThat(child.isAlive()).isTrue();
        });
        assertThat(child.pid()).isNotEqualTo(firstPid);
        assertThat(health(port).isReady()).isTrue();
        assertThat(notices).anyMatch(n -> n.startsWith("   restarting web-1 in 1s"))
                .anyMatch(n -> n.equals("   web-1 is back: pid " + child.pid() + " (restart 1)"));
    }

    @Test
    void aChildThatKeepsCrashingIsRestartedLessAndLessOftenAndReportedAsCrashing() throws Exception {
        int port = freePort();
        Path starts = dir.resolve("starts");
        supervisor(true).start(dummy("web-1", "--port", Integer.toString(port), "--record-start", starts.toString(),
                "--crash-after", "1000").readiness(health(port)).build());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(notices).anyMatch(n -> n.startsWith(
                "!! web-1 keeps crashing (3 times in a row, each within 30s of its start): next try in 4s, backing off"
                        + " to one every 30s; see " + dir.resolve("web-1.log"))));
        assertThat(notices).containsSubsequence("   restarting web-1 in 1s",
                "   restarting web-1 in 2s (failure 2 in a row)");
        List<Long> startedAt = Files.readAllLines(starts).stream().map(Long::parseLong).collect(Collectors.toList());
        assertThat(startedAt).hasSizeGreaterThanOrEqualTo(3);
        // Each run lasts at least its 1 s before crashing; then the wait before the next start doubles.
        assertThat(startedAt.get(1) - startedAt.get(0)).isGreaterThanOrEqualTo(1000 + 1000);
        assertThat(startedAt.get(2) - startedAt.get(1)).isGreaterThanOrEqualTo(1000 + 2000);
    }

    @Test
    void aSigtermFromOutsideIsReportedAsAStopBySignalAndNotRestarted() throws Exception {
        SupervisedProcess child = supervisor(true).start(dummy("web-1").crashHint("Traffic moves on.").build());
        long pid = child.pid();

        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start();
        assertThat(kill.waitFor()).isZero();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notices).containsSubsequence(
                "!! web-1 (pid " + pid + ") was stopped by SIGTERM from outside the stack. Traffic moves on.",
                "   web-1 stays down: a stop by signal is on purpose, not a crash to restart."));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !child.isAlive());
        assertThat(child.state()).isEqualTo(SupervisedProcess.State.STOPPED);
        assertThat(child.restarts()).isZero();
        assertThat(notices).noneMatch(n -> n.contains("exited on its own") || n.contains("restarting"));
    }

    @Test
    void aStopSaysWhetherItStoppedTheChildOrFoundItGone() throws Exception {
        supervisor(false);
        SupervisedProcess crashed = supervisor.start(dummy("web-1").build());
        SupervisedProcess running = supervisor.start(dummy("web-2").build());
        crashed.handle().orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> crashed.state() == SupervisedProcess.State.EXITED);

        List<StopResult> results = supervisor.stopAll(List.of(crashed, running));

        assertThat(results).extracting(StopResult::name, StopResult::before, StopResult::stoppedIt).containsExactly(
                org.assertj.core.groups.Tuple.tuple("web-1", SupervisedProcess.State.EXITED, false),
                org.assertj.core.groups.Tuple.tuple("web-2", SupervisedProcess.State.RUNNING, true));
        assertThat(running.isAlive()).isFalse();
        assertThat(supervisor.stop(running).stoppedIt()).as("a second stop finds it stopped").isFalse();
        assertThat(supervisor.stop(running).before()).isEqualTo(SupervisedProcess.State.STOPPED);
    }

    @Test
    void aChildIsNotRestartedWhenItIsStoppedOnPurpose() throws Exception {
        SupervisedProcess child = supervisor(true).start(dummy("web-1").build());

        supervisor.stop(child);

        assertThat(child.isAlive()).isFalse();
        assertThat(child.restarts()).isZero();
        assertThat(notices).noneMatch(n -> n.contains("exited on its own") || n.contains("restarting"));
    }

    @Test
    void aChildStoppedOnPurposeStartsAgainUnderTheSameNameAndItsNextCrashIsReportedAgain() throws Exception {
        int port = freePort();
        SupervisedProcess child = supervisor(false).start(dummy("web-1", "--port", Integer.toString(port))
                .readiness(health(port)).build());
        long firstPid = child.pid();
        supervisor.stop(child);
        assertThat(child.state()).isEqualTo(SupervisedProcess.State.STOPPED);

        supervisor.startAgain(child);

        assertThat(child.state()).isEqualTo(SupervisedProcess.State.RUNNING);
        assertThat(child.pid()).isNotEqualTo(firstPid);
        assertThat(health(port).isReady()).isTrue();
        assertThat(child.restarts()).as("a start on purpose is not a crash restart").isZero();
        long secondPid = child.pid();
        child.handle().orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notices)
                .anyMatch(n -> n.startsWith("!! web-1 (pid " + secondPid + ") exited on its own")));
        assertThat(child.state()).isEqualTo(SupervisedProcess.State.EXITED);
    }

    @Test
    void startAgainRefusesAChildThatIsRunning() throws Exception {
        SupervisedProcess child = supervisor(false).start(dummy("web-1").build());

        assertThatThrownBy(() -> supervisor.startAgain(child)).isInstanceOf(ChildStartException.class)
                .hasMessage("web-1 is running already (pid " + child.pid() + ")");
    }

    @Test
    void startAgainRefusesOnceTheSupervisorIsClosing() throws Exception {
        SupervisedProcess child = supervisor(false).start(dummy("web-1").build());
        supervisor.stop(child);
        supervisor.close();

        assertThatThrownBy(() -> supervisor.startAgain(child)).isInstanceOf(ChildStartException.class)
                .hasMessage("web-1 cannot start: the stack is stopping");
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void aChildThatDiesWhileStartingFailsTheStartWithTheEndOfItsLog() {
        ChildSpec spec = dummy("broken", "--say", "cannot open database: access denied", "--exit", "3")
                .readiness(() -> false).build();

        assertThatThrownBy(() -> supervisor(false).start(spec))
                .isInstanceOf(ChildStartException.class)
                .hasMessageContaining("broken exited with status 3 while starting")
                .hasMessageContaining("cannot open database: access denied")
                .hasMessageNotContaining("Exception");
    }

    @Test
    void aChildThatIsNeverReadyFailsTheStartAfterItsTimeout() {
        ChildSpec spec = dummy("slow").readiness(() -> false).startTimeout(Duration.ofSeconds(1)).build();

        assertThatThrownBy(() -> supervisor(false).start(spec))
                .isInstanceOf(ChildStartException.class)
                .hasMessageContaining("was not ready within 1s")
                .hasMessageContaining("dummy child running");
    }

    @Test
    void aChildExitsWhenItsParentGoesAway() throws Exception {
        Path marker = dir.resolve("terminated");
        SupervisedProcess child = supervisor(false).start(dummy("orphan", "--on-term", marker.toString()).build());
        Process process = child.current();

        // What the kernel does to the pipe when the stack dies, even by SIGKILL.
        process.getOutputStream().close();

        await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
        assertThat(process.exitValue()).isEqualTo(ParentWatchingLauncher.PARENT_GONE_STATUS);
        assertThat(marker).hasContent("terminated cleanly");
    }

    @Test
    void aChildIgnoresCtrlCSoThatTheStackOrdersTheStop() throws Exception {
        SupervisedProcess child = supervisor(false).start(dummy("web-1").build());

        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
        assertThat(kill.waitFor()).isZero();

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(child::isAlive);
    }

    @Test
    void aChildRunsInASessionOfItsOwnSoGroupSignalsReachOnlyTheStack() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessSupervisor.SETSID.isPresent(), "setsid is not installed");
        SupervisedProcess child = supervisor(false).start(dummy("web-1").build());

        assertThat(sessionOf(child.pid())).isEqualTo(child.pid()).isNotEqualTo(sessionOf(ProcessHandle.current().pid()));
    }

    private static long sessionOf(long pid) throws Exception {
        // Field 6 of /proc/PID/stat, counted after the parenthesised command name, which may hold spaces.
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }

    @Test
    void chosenOutputLinesAreToldAndEveryLineIsLogged() throws Exception {
        SupervisedProcess child = supervisor(false).start(dummy("db-failover",
                "--say", "promoted replica-1", "--err", "noise", "--say", "plain stdout")
                .stdoutRelay(line -> line.startsWith("promoted ") ? java.util.Optional.of("relayed " + line)
                        : java.util.Optional.empty())
                .build());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notices)
                .contains("relayed promoted replica-1"));
        assertThat(notices).noneMatch(n -> n.contains("noise") || n.contains("plain stdout"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Files.readString(dir.resolve("db-failover.log")))
                .contains("promoted replica-1", "noise", "plain stdout", "dummy child running"));
        assertThat(child.isAlive()).isTrue();
    }

    @Test
    void aLoggedErrorIsToldInOneLineAndItsTraceAndTheChildsOutputStayInTheLog() throws Exception {
        supervisor(false).start(dummy("web-1", "--log-error", "GET /api/orders failed", "--say", "an access line")
                .stderrRelay(line -> LogLine.parseError(line).map(l -> "told " + l.logger() + ": " + l.message()))
                .build());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notices)
                .contains("told DummyChild: GET /api/orders failed: java.lang.IllegalStateException: boom"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(dir.resolve("web-1.log")))
                .contains("ERROR DummyChild: GET /api/orders failed: java.lang.IllegalStateException: boom",
                        "\tat com.foobar.stack.process.DummyChild.main", "an access line", "dummy child running"));
        assertThat(notices).filteredOn(n -> n.startsWith("told")).hasSize(1);
    }

    @Test
    void whatAChildSaysWhileTheStackStopsItIsLoggedButNotTold() throws Exception {
        SupervisedProcess child = supervisor(false).start(dummy("devdb", "--say-on-term", "!! replica-1 died")
                .stdoutRelay(line -> line.startsWith("!! ") ? java.util.Optional.of(line) : java.util.Optional.empty())
                .build());

        supervisor.stop(child);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Files.readString(dir.resolve("devdb.log"))).contains("!! replica-1 died"));
        assertThat(notices).noneMatch(n -> n.contains("replica-1 died"));
    }

    @Test
    void restartsBackOffWhileAChildKeepsCrashing() {
        assertThat(ProcessSupervisor.restartDelay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ProcessSupervisor.restartDelay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(ProcessSupervisor.restartDelay(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(ProcessSupervisor.restartDelay(50)).isEqualTo(ProcessSupervisor.MAX_RESTART_DELAY);
    }

    @Test
    void exitStatusesNameTheSignal() {
        assertThat(ProcessSupervisor.describeStatus(137)).isEqualTo("137 (killed by SIGKILL)");
        assertThat(ProcessSupervisor.describeStatus(143)).isEqualTo("143 (killed by SIGTERM)");
        assertThat(ProcessSupervisor.describeStatus(1)).isEqualTo("1");
        assertThat(ProcessSupervisor.stopSignal(143)).contains("SIGTERM");
        assertThat(ProcessSupervisor.stopSignal(137)).as("SIGKILL is a crash, as to a service manager").isEmpty();
    }
}
