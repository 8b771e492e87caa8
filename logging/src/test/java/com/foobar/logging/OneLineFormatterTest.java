package com.foobar.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What an SLF4J call in a component's code writes, through the JDK's logging and the one-line format. */
class OneLineFormatterTest {

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}";

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final Logger julLogger = Logger.getLogger("com.foobar.example.Decider");
    private StreamHandler handler;

    @BeforeEach
    void capture() {
        handler = new StreamHandler(written, new OneLineFormatter());
        handler.setLevel(Level.ALL);
        julLogger.addHandler(handler);
        julLogger.setUseParentHandlers(false);
    }

    @AfterEach
    void release() {
        julLogger.removeHandler(handler);
        julLogger.setUseParentHandlers(true);
    }

    private List<String> lines() {
        handler.flush();
        return written.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void anExceptionIsOneLineWithTheExceptionThenItsTrace() {
        LoggerFactory.getLogger("com.foobar.example.Decider").error("cannot attach {} to the primary", "replica-1",
                new IllegalStateException("boom", new IOException("connection reset")));

        List<String> lines = lines();
        assertThat(lines.get(0)).matches(TIME + " ERROR Decider: cannot attach replica-1 to the primary:"
                + " java.lang.IllegalStateException: boom");
        assertThat(lines.get(1)).startsWith("\tat com.foobar.logging.OneLineFormatterTest.");
        assertThat(lines).contains("Caused by: java.io.IOException: connection reset");
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(LogLine.parse(l)).isEmpty());
    }

    @Test
    void aRecordWithoutExceptionIsOneLineEvenWhenItsMessageHasLineBreaks() {
        LoggerFactory.getLogger("com.foobar.example.Decider").warn("first\nsecond\r\n  third");
        LoggerFactory.getLogger("com.foobar.example.Decider").info("promoted {}", "replica-1");

        assertThat(lines()).hasSize(2).satisfies(l -> {
            assertThat(l.get(0)).matches(TIME + " WARN  Decider: first \\| second \\| third");
            assertThat(l.get(1)).matches(TIME + " INFO  Decider: promoted replica-1");
            assertThat(LogLine.parseError(l.get(1))).isEmpty();
            assertThat(LogLine.parse(l.get(1))).isPresent();
        });
    }

    @Test
    void theFirstLineReadsBackForWhoeverWatchesTheOutput() {
        LoggerFactory.getLogger("com.foobar.example.Decider").error("lost: {}", "the primary",
                new IllegalStateException("boom"));

        String first = lines().get(0);
        assertThat(LogLine.parse(first)).hasValueSatisfying(line -> {
            assertThat(line.isError()).isTrue();
            assertThat(line.logger()).isEqualTo("Decider");
            assertThat(line.message()).isEqualTo("lost: the primary: java.lang.IllegalStateException: boom");
        });
        assertThat(LogLine.parseError(first)).isPresent();
        // Neither db-failover's event lines nor a trace's are log lines.
        assertThat(LogLine.parse("2026-12-06T21:48:05.561Z promoted replica-1: writable")).isEmpty();
        assertThat(LogLine.parse("\tat java.base/java.lang.Thread.run(Thread.java:840)")).isEmpty();
    }

    @Test
    void theTerminalVariantLeavesTheTraceOut() {
        handler.setFormatter(new OneLineFormatter(false));

        LoggerFactory.getLogger("com.foobar.example.Decider").error("failed", new IllegalStateException("boom"));

        assertThat(lines()).singleElement().asString().endsWith("ERROR Decider: failed: java.lang.IllegalStateException: boom");
    }
}
