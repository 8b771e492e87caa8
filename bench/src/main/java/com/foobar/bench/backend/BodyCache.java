package com.foobar.bench.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Response bodies built once per size and shared by every response, so that serving a body costs a retained
 * duplicate and no copy. Sizes above {@link #MAX_CACHED_BYTES} are streamed from one {@link #chunk()}.
 */
final class BodyCache {

    static final int MAX_CACHED_BYTES = 1 << 20;
    static final int CHUNK_BYTES = 64 * 1024;
    private static final int MAX_ENTRIES = 64;

    private final ConcurrentMap<Integer, ByteBuf> bodies = new ConcurrentHashMap<>();
    private final ByteBuf chunk = filled(CHUNK_BYTES);

    /** A shared read-only view of {@code size} bytes; the caller must release it (it is a retained duplicate). */
    ByteBuf body(int size) {
        if (size > MAX_CACHED_BYTES) {
            throw new IllegalArgumentException(size + " bytes is above the cached maximum " + MAX_CACHED_BYTES);
        }
        ByteBuf cached = bodies.get(size);
        if (cached == null) {
            if (bodies.size() >= MAX_ENTRIES) {
                // A client asking for many distinct sizes must not grow the cache without bound.
                return filled(size);
            }
            cached = bodies.computeIfAbsent(size, BodyCache::filled);
        }
        return cached.retainedDuplicate();
    }

    ByteBuf chunk() {
        return chunk.retainedDuplicate();
    }

    void release() {
        bodies.values().forEach(ByteBuf::release);
        bodies.clear();
        if (chunk.refCnt() > 0) {
            chunk.release();
        }
    }

    private static ByteBuf filled(int size) {
        ByteBuf buf = Unpooled.directBuffer(size, size);
        for (int i = 0; i < size; i++) {
            // Printable and varied enough that nothing along the way can compress it to nothing.
            buf.writeByte('a' + (i % 26));
        }
        return buf;
    }
}
