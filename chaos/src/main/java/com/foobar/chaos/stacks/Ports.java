package com.foobar.chaos.stacks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free ports on loopback for the stacks the suite starts, so that it never disturbs one a developer runs. */
public final class Ports {

    private Ports() {
    }

    /**
     * The first of {@code count} consecutive ports free on loopback now, below Linux's ephemeral range (32768 and
     * up), where an outgoing connection of another process could take one between this check and the bind.
     */
    public static int consecutiveFree(int count) {
        for (int attempt = 0; attempt < 500; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20000, 32000 - count);
            boolean free = true;
            for (int p = first; p < first + count && free; p++) {
                free = isFree(p);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found on loopback");
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
