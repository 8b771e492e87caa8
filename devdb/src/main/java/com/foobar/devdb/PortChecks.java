package com.foobar.devdb;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Port selection and a clear error when a fixed port is taken. */
final class PortChecks {
    private PortChecks() {
    }

    /**
     * The ports asked for, each 0 replaced by a port free on 127.0.0.1 right now (the servers bind them a moment
     * later). All are chosen while the sockets that found them are still open: chosen one at a time, the kernel could
     * hand out the same port twice before the first server bound it, and the slower server would fail with "Address
     * already in use". A chosen port is never one of the fixed ports asked for.
     */
    static List<Integer> choose(List<Integer> asked) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int port : asked) {
                if (port != 0) {
                    ports.add(port);
                    continue;
                }
                int chosen;
                do {
                    ServerSocket s = new ServerSocket();
                    held.add(s);
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    chosen = s.getLocalPort();
                } while (asked.contains(chosen));
                ports.add(chosen);
            }
            return List.copyOf(ports);
        } catch (IOException e) {
            throw new DevDbException("cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // only held to keep the port from being handed out again
                }
            }
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
