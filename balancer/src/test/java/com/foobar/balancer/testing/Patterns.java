package com.foobar.balancer.testing;

import io.netty.buffer.ByteBuf;

import java.io.InputStream;
import java.util.zip.CRC32;

/** A deterministic byte stream, so big bodies can be generated and checked on the fly without being held. */
public final class Patterns {

    private static final int PERIOD = 251;
    private static final byte[] CYCLE = new byte[PERIOD * 64];

    static {
        for (int i = 0; i < CYCLE.length; i++) {
            CYCLE[i] = (byte) (i % PERIOD);
        }
    }

    private Patterns() {
    }

    /** A copy of the pattern a whole number of periods long, so writing it repeatedly continues the stream. */
    public static byte[] block() {
        byte[] b = new byte[PERIOD * 1024];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % PERIOD);
        }
        return b;
    }

    public static byte at(long offset) {
        return (byte) (offset % PERIOD);
    }

    static void fill(ByteBuf buf, long offset, int n) {
        int start = (int) (offset % PERIOD);
        while (n > 0) {
            int len = Math.min(n, CYCLE.length - start);
            buf.writeBytes(CYCLE, start, len);
            n -= len;
            start = 0;
        }
    }

    /** CRC32 of the first {@code n} pattern bytes. */
    public static long crc32(long n) {
        CRC32 crc = new CRC32();
        long offset = 0;
        while (offset < n) {
            int start = (int) (offset % PERIOD);
            int len = (int) Math.min(n - offset, CYCLE.length - start);
            crc.update(CYCLE, start, len);
            offset += len;
        }
        return crc.getValue();
    }

    /** An InputStream of {@code n} pattern bytes, for request bodies. */
    public static InputStream stream(long n) {
        return new InputStream() {
            private long offset;

            @Override
            public int read() {
                return offset < n ? at(offset++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (offset >= n) {
                    return -1;
                }
                int total = (int) Math.min(len, n - offset);
                int done = 0;
                while (done < total) {
                    int start = (int) ((offset + done) % PERIOD);
                    int chunk = Math.min(total - done, CYCLE.length - start);
                    System.arraycopy(CYCLE, start, b, off + done, chunk);
                    done += chunk;
                }
                offset += total;
                return total;
            }
        };
    }
}
