package com.foobar.balancer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainNettyDefaultsTest {

    private static final String LEAK = "io.netty.leakDetection.level";
    private static final String ALLOCATOR = "io.netty.allocator.type";
    private String leak;
    private String allocator;

    @BeforeEach
    void save() {
        leak = System.getProperty(LEAK);
        allocator = System.getProperty(ALLOCATOR);
    }

    @AfterEach
    void restore() {
        restore(LEAK, leak);
        restore(ALLOCATOR, allocator);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void commandLineTurnsLeakTrackingOffAndPicksThePooledAllocatorWhenTheUserSetNeither() {
        System.clearProperty(LEAK);
        System.clearProperty(ALLOCATOR);
        Main.applyNettyDefaults();
        assertThat(System.getProperty(LEAK)).isEqualTo("disabled");
        assertThat(System.getProperty(ALLOCATOR)).isEqualTo("pooled");
    }

    @Test
    void keepsWhatTheUserSetWithDashD() {
        System.setProperty(LEAK, "paranoid");
        System.setProperty(ALLOCATOR, "adaptive");
        Main.applyNettyDefaults();
        assertThat(System.getProperty(LEAK)).isEqualTo("paranoid");
        assertThat(System.getProperty(ALLOCATOR)).isEqualTo("adaptive");
    }
}
