package com.foobar.balancer.accesslog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AsyncAccessLogWriterTest {

    private static AccessLogEntry entry(String uri) {
        return new AccessLogEntry(0L, "127.0.0.1:5000", "public", "GET", uri, 200, 1234, 12_345_678L, "web",
                "web-1", 2_000_000L, 1, "rid");
    }

    @Test
    void writesOneLinePerRequestWithAllFields() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLog log = AccessLog.to(out, true, 16);
        log.log(entry("/a?b=c"));
        await().atMost(Duration.ofSeconds(5)).until(() -> out.size() > 0);
        log.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "1970-01-01T00:00:00.000Z 127.0.0.1:5000 public \"GET /a?b=c\" 200 1234 12.345ms web/web-1 "
                        + "2.000ms 1 rid\n");
    }

    @Test
    void reopenAfterARotationWritesTheNextLinesToANewFileByTheSameName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        AccessLog log = AccessLog.toFile(file, 16);
        try {
            log.log(entry("/before"));
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(file).contains("/before"));
            Files.move(file, rotated); // what logrotate does; the writer still holds the moved file
            log.log(entry("/still-old"));
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(rotated).contains("/still-old"));

            log.reopen();
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file));
            log.log(entry("/after"));
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(file).contains("/after"));
        } finally {
            log.close();
        }
        assertThat(Files.readString(rotated)).contains("/before", "/still-old").doesNotContain("/after");
        assertThat(Files.readString(file)).doesNotContain("/before").endsWith("rid\n");
        assertThat(log.dropped()).isZero();
    }

    @Test
    void aFileThatCannotBeReopenedLeavesTheLogWritingWhereItWas(@TempDir Path dir) throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Path file = logs.resolve("access.log");
        Path moved = dir.resolve("access.log.1");
        AccessLog log = AccessLog.toFile(file, 16);
        try {
            Files.move(file, moved);
            Files.delete(logs);
            Files.writeString(dir.resolve("logs"), "a file where the directory was: no access.log can be made in it");
            log.reopen();
            log.log(entry("/kept"));
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(moved).contains("/kept"));
        } finally {
            log.close();
        }
        assertThat(log.dropped()).isZero();
    }

    @Test
    void controlCharactersAndQuotesInTheTargetCannotForgeLines() {
        StringBuilder sb = new StringBuilder();
        AsyncAccessLogWriter.format(entry("/x\"\n127.0.0.1 fake"), sb);
        assertThat(sb.toString()).contains("\"GET /x%22%0a127.0.0.1 fake\"").endsWith("rid\n");
        assertThat(sb.toString().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void aBlockedTargetDropsAndCountsLinesInsteadOfBlockingTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream blocked = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AccessLog log = AccessLog.to(blocked, true, 8);
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            log.log(entry("/" + i));
        }
        long elapsed = System.nanoTime() - start;
        assertThat(log.dropped()).isGreaterThan(900);
        assertThat(elapsed).isLessThan(TimeUnit.SECONDS.toNanos(2));
        release.countDown();
        log.close();
    }
}
