package com.foobar.balancer.http;

import com.foobar.balancer.accesslog.AccessLogEntry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Rejects obsolete line folding (a header line starting with SP or HTAB) with 400 before the decoder sees it: Netty's
 * decoder would join the lines with a space, which RFC 9112 allows, but refusing them means no
 * server behind us ever has to agree on their meaning. It scans only the header section: {@link RequestChecksHandler}
 * re-arms it when a request has been read to its end. A pipelined request that arrives in the same read as the end
 * of the previous one is not scanned (the decoder then folds it, which is still safe).
 */
final class ObsFoldDetector extends ChannelInboundHandlerAdapter {

    /**
     * What is wrong with a request line, as read before the decoder (which tolerates runs of spaces and any version
     * spelling): it must be {@code method SP target SP HTTP/1.x}, with single spaces and nothing else. Null when fine.
     */
    static String requestLineProblem(CharSequence line) {
        int len = line.length();
        if (len >= MAX_KEPT) {
            return null; // the codec answers 414
        }
        int sp1 = -1;
        int sp2 = -1;
        for (int i = 0; i < len; i++) {
            if (line.charAt(i) == ' ') {
                if (sp1 < 0) {
                    sp1 = i;
                } else if (sp2 < 0) {
                    sp2 = i;
                } else {
                    return "the request line must be: method SP target SP HTTP-version";
                }
            }
        }
        if (sp1 <= 0 || sp2 != len - 9 || sp2 == sp1 + 1) {
            return "the request line must be: method SP target SP HTTP-version";
        }
        if (!isHttp1Version(line, sp2 + 1)) {
            return "unsupported HTTP version \"" + line.subSequence(sp2 + 1, len) + "\"";
        }
        return null;
    }

    /** {@link #requestLineProblem(CharSequence)} for a line held in {@code buf} from {@code from} to {@code to}. */
    static String requestLineProblem(ByteBuf buf, int from, int to) {
        if (to - from >= MAX_KEPT) {
            return null; // the codec answers 414
        }
        int sp1 = buf.indexOf(from, to, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : buf.indexOf(sp1 + 1, to, (byte) ' ');
        boolean shaped = sp1 > from && sp2 > sp1 + 1 && sp2 == to - 9 && buf.indexOf(sp2 + 1, to, (byte) ' ') < 0;
        if (!shaped || !isHttp1Version(buf, sp2 + 1)) {
            // Rare: let the text version word the reason.
            return requestLineProblem(buf.toString(from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return null;
    }

    private static boolean isHttp1Version(ByteBuf buf, int at) {
        String prefix = "HTTP/1.";
        for (int k = 0; k < prefix.length(); k++) {
            if (buf.getByte(at + k) != prefix.charAt(k)) {
                return false;
            }
        }
        byte minor = buf.getByte(at + prefix.length());
        return minor == '1' || minor == '0';
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0} exactly, from {@code at} to the end (8 characters, as checked before). */
    private static boolean isHttp1Version(CharSequence line, int at) {
        String prefix = "HTTP/1.";
        for (int k = 0; k < prefix.length(); k++) {
            if (line.charAt(at + k) != prefix.charAt(k)) {
                return false;
            }
        }
        char minor = line.charAt(at + prefix.length());
        return minor == '1' || minor == '0';
    }

    private final RejectionListener rejections;
    private boolean inHeaders = true;
    private boolean atLineStart = true;
    private boolean pastRequestLine;
    private boolean lineEmpty = true;
    private boolean refusing;
    /** The request line, kept when it came over several reads, or when the header section goes on in a later read. */
    private final StringBuilder requestLine = new StringBuilder(64);
    /** Where the request line judged in place lies in the current read; -1 when not in it. */
    private int lineFrom = -1;
    private int lineTo;
    private String problem;
    /** Beyond this the codec answers 414 itself; no need to keep more of the line. */
    private static final int MAX_KEPT = 64 * 1024;

    ObsFoldDetector(RejectionListener rejections) {
        this.rejections = rejections;
    }

    /** The request before has been read completely: the next bytes start a header section. */
    void expectHeaders() {
        inHeaders = true;
        atLineStart = true;
        pastRequestLine = false;
        lineEmpty = true;
        requestLine.setLength(0);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refusing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (inHeaders && msg instanceof ByteBuf buf && folded(buf)) {
            refusing = true;
            String[] line = requestLineText(buf).split(" ", 3);
            ReferenceCountUtil.release(msg);
            // This handler sits in front of the HTTP codec, so the answer is written as raw bytes.
            String reason = problem + "\n";
            rejections.rejected(ctx, line.length == 3 ? line[0] : AccessLogEntry.NONE,
                    line.length == 3 ? line[1] : AccessLogEntry.NONE, HttpResponseStatus.BAD_REQUEST.code(),
                    reason.length());
            byte[] response = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + reason.length() + "\r\nConnection: close\r\n\r\n" + reason)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ctx.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(response))
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** The header section goes on in the next read: the request line judged in place is copied for the log. */
    private void keepRequestLine(ByteBuf buf) {
        if (lineFrom >= 0 && requestLine.length() == 0) {
            requestLine.append(buf.toString(lineFrom, lineTo - lineFrom, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        lineFrom = -1;
    }

    /** The refused request's line, for the access log; empty when its start was never seen. */
    private String requestLineText(ByteBuf buf) {
        if (requestLine.length() > 0) {
            return requestLine.toString();
        }
        return lineFrom >= 0 ? buf.toString(lineFrom, lineTo - lineFrom, java.nio.charset.StandardCharsets.ISO_8859_1)
                : "";
    }

    /**
     * Scans one read's bytes of the header section line by line: Netty's SWAR search finds each line feed, so only
     * the first bytes of a line and the request line are looked at one by one. Carriage returns are ignored
     * wherever they are, as the decoder does.
     */
    private boolean folded(ByteBuf buf) {
        lineFrom = -1;
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end && inHeaders) {
            int lf = buf.indexOf(i, end, (byte) '\n');
            int lineEnd = lf < 0 ? end : lf;
            int first = i;
            while (first < lineEnd && buf.getByte(first) == '\r') {
                first++;
            }
            if (first < lineEnd) {
                byte b = buf.getByte(first);
                if (atLineStart && pastRequestLine && (b == ' ' || b == '\t')) {
                    problem = "obsolete line folding in the headers is not allowed";
                    return true;
                }
                if (!pastRequestLine && atLineStart && lf >= 0 && requestLine.length() == 0) {
                    // The usual case: the whole request line is in this read. Judge it in place.
                    int cr = buf.indexOf(first, lineEnd, (byte) '\r');
                    if (cr < 0 || cr == lineEnd - 1) {
                        problem = requestLineProblem(buf, first, cr < 0 ? lineEnd : cr);
                        if (problem != null) {
                            return true;
                        }
                        lineFrom = first;
                        lineTo = cr < 0 ? lineEnd : cr;
                        pastRequestLine = true;
                        atLineStart = true;
                        lineEmpty = true;
                        i = lf + 1;
                        continue;
                    }
                }
                if (!pastRequestLine) {
                    for (int j = first; j < lineEnd && requestLine.length() < MAX_KEPT; j++) {
                        byte c = buf.getByte(j);
                        if (c != '\r') {
                            requestLine.append((char) (c & 0xFF));
                        }
                    }
                }
                atLineStart = false;
                lineEmpty = false;
            }
            if (lf < 0) {
                keepRequestLine(buf);
                return false;
            }
            if (!pastRequestLine && !lineEmpty) {
                problem = requestLineProblem(requestLine);
                if (problem != null) {
                    return true;
                }
            }
            if (pastRequestLine && lineEmpty) {
                inHeaders = false; // end of the header section; the body is not ours to scan
                return false;
            }
            pastRequestLine |= !lineEmpty;
            atLineStart = true;
            lineEmpty = true;
            i = lf + 1;
        }
        if (inHeaders) {
            keepRequestLine(buf);
        }
        return false;
    }
}
