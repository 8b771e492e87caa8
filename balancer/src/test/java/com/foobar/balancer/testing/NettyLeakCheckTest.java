package com.foobar.balancer.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NettyLeakCheckTest {

    @Test
    void mavenRunsTheDetectorAtParanoid() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void aBufferDroppedWithoutReleaseIsReportedOnTheNextLook() throws Exception {
        assertThat(NettyLeakCheck.reportedSinceLastLook()).isEmpty();
        leakOne();
        // Drained here, so that this class's own check after it does not fail on the leak made on purpose.
        assertThat(NettyLeakCheck.reportedSinceLastLook())
                .hasSize(1)
                .allSatisfy(report -> assertThat(report).startsWith("LEAK: ByteBuf.release() was not called"));
    }

    @Test
    void aReleasedBufferIsNotReported() throws Exception {
        assertThat(NettyLeakCheck.reportedSinceLastLook()).isEmpty();
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
        b.release();
        assertThat(NettyLeakCheck.reportedSinceLastLook()).isEmpty();
    }

    private static void leakOne() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
    }
}
