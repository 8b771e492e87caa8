package com.foobar.webapp.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request over a socket bound to a chosen loopback address (127.0.0.2 is loopback too), so a test
 * can be a peer the server does not trust; the JDK client cannot pick its source address on Java 17.
 */
record RawHttp(int status, String head, String body) {

    static RawHttp get(String fromAddress, URI server, String path, String... headerLines) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5_000);
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + server.getHost()
                    + "\r\nConnection: close\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IOException("not an HTTP response: " + response);
            }
            return new RawHttp(Integer.parseInt(response.substring(9, 12)), response.substring(0, end),
                    response.substring(end + 4));
        }
    }
}
