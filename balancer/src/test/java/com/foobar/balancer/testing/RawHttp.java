package com.foobar.balancer.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain socket speaking HTTP/1.1 by hand, for what real clients will not send: hop-by-hop headers, pipelining,
 * slow heads, Expect handshakes. Reads are bounded by a socket timeout.
 */
public final class RawHttp implements AutoCloseable {

    /** A response as read off the wire (chunked bodies de-chunked). */
    public record Response(int status, String statusLine, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    /** The socket's stream, or a slowed view of it while {@link #readSlowly} runs. */
    private InputStream in;
    private final OutputStream out;

    public RawHttp(InetSocketAddress address, int readTimeoutMillis) throws IOException {
        this(address, readTimeoutMillis, 0);
    }

    /** With {@code receiveBufferBytes} > 0, the socket's receive buffer is set before connecting (small: a slow reader). */
    public RawHttp(InetSocketAddress address, int readTimeoutMillis, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(address, 5_000);
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends {@code n} bytes of {@link Patterns}, generated on the fly (a body after a head already sent). */
    public RawHttp sendPattern(long n) throws IOException {
        byte[] block = Patterns.block();
        long left = n;
        while (left > 0) {
            int len = (int) Math.min(block.length, left);
            out.write(block, 0, len);
            left -= len;
        }
        out.flush();
        return this;
    }

    /** Reads one response; {@code head} true for a response to HEAD (no body whatever the headers say). */
    public Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = l.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean noBody = head || status == 204 || status == 304 || (status >= 100 && status < 200);
        if (!noBody) {
            String te = headers.get("transfer-encoding");
            String cl = headers.get("content-length");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                while (true) {
                    String sizeLine = line();
                    int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                    if (size == 0) {
                        while ((l = line()) != null && !l.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    body.write(in.readNBytes(size));
                    line();
                }
            } else if (cl != null) {
                body.write(in.readNBytes(Integer.parseInt(cl)));
            } else {
                body.write(in.readAllBytes());
            }
        }
        return new Response(status, statusLine, headers, body.toByteArray());
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response as a slow client does: at most {@code piece} bytes, then a {@code pause}, and again. */
    public Response readSlowly(int piece, java.time.Duration pause) throws IOException {
        InputStream socketIn = in;
        in = new java.io.FilterInputStream(socketIn) {
            private int left = piece;

            private void pauseWhenPieceTaken() throws IOException {
                if (left > 0) {
                    return;
                }
                try {
                    Thread.sleep(pause.toMillis()); // the behaviour under test: a client that reads late
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
                left = piece;
            }

            @Override
            public int read() throws IOException {
                pauseWhenPieceTaken();
                int c = super.read();
                left--;
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                pauseWhenPieceTaken();
                int n = super.read(b, off, Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
        try {
            return read(false);
        } finally {
            in = socketIn;
        }
    }

    /** True when the peer has closed: the next read sees end of stream (or a reset). */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
