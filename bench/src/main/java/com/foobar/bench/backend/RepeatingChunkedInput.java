package com.foobar.bench.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * A body of any length made of one shared chunk sent again and again. {@link io.netty.handler.stream.ChunkedWriteHandler}
 * pulls a chunk only while the channel is writable, so a 1 GiB body needs no more memory than one chunk.
 */
final class RepeatingChunkedInput implements ChunkedInput<ByteBuf> {

    private final BodyCache bodies;
    private final long length;
    private long sent;

    RepeatingChunkedInput(BodyCache bodies, long length) {
        this.bodies = bodies;
        this.length = length;
    }

    @Override
    public boolean isEndOfInput() {
        return sent >= length;
    }

    @Override
    public void close() {
        // Nothing to release: each chunk handed out is released by whoever writes it.
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        ByteBuf chunk = bodies.chunk();
        long left = length - sent;
        if (left < chunk.readableBytes()) {
            chunk.writerIndex(chunk.readerIndex() + (int) left);
        }
        sent += chunk.readableBytes();
        return chunk;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return sent;
    }
}
