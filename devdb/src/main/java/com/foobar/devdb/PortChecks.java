package com.foobar.devdb;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port selection and a clear error when a fixed port is taken. */
final class PortChecks {
    private PortChecks() {
    }

    /** A port free on 127.0.0.1 right now (the server binds it a moment later). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new DevDbException("cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    static void requireFree(String node, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new DevDbException(node + ": port " + port + " on 127.0.0.1 is already in use");
        }
    }
}
