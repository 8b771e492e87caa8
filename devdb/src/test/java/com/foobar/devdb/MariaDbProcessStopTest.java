package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a server that was killed takes no time, whatever the killed server left behind. */
class MariaDbProcessStopTest {

    @Test
    void aStopThatComesBeforeTheKillIsSeenDoesNotWaitOnTheDeadServersPidFile(@TempDir Path dir) {
        DevDbOptions options = DevDbOptions.builder().engine(Engine.EMBEDDED_MARIADB).dataDir(dir).build();
        int port = PortChecks.choose(List.of(0)).get(0);
        MariaDbProcess server = MariaDbProcess.create("replica-1", 2, port, dir.resolve("replica-1"),
                MariaDbBinaries.baseDir(), options);
        server.start();
        long pid = server.pid().orElseThrow();
        Path pidFile = server.dataDir().resolve("mariadbd.pid");

        Duration took;
        // Holding the server's lock keeps devdb from hearing of the exit before the stop: the stop finds the server
        // "running", as a stop racing the kill does, with the pid file a SIGKILL leaves behind.
        synchronized (server) {
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty());
            assertThat(pidFile).as("the dead server's pid file").exists();
            assertThat(server.isRunning()).isTrue();

            long t0 = System.nanoTime();
            server.stop();
            took = Duration.ofNanos(System.nanoTime() - t0);
        }

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(server.isRunning()).isFalse();
    }
}
