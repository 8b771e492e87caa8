package com.foobar.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Checks, before anything starts, that every port the stack will listen on can be bound. A clash found after the
 * database took 15 s to start is a poor way to learn that another stack is still running.
 */
final class PortChecker {

    private PortChecker() {
    }

    /**
     * @param who  the component, e.g. {@code web-1}
     * @param flag the flag that moves it, e.g. {@code --web-port}
     * @throws StackStartException naming the address, the component and the flag
     */
    static void requireFree(String host, int port, String who, String flag) throws StackStartException {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new StackStartException("cannot resolve \"" + host + "\" for " + who);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            String reason = String.valueOf(e.getMessage());
            String hint;
            if (reason.contains("ermission")) {
                hint = "ports below 1024 need root or CAP_NET_BIND_SERVICE (for the balancer: "
                        + "sudo setcap cap_net_bind_service=+ep \"$(readlink -f \"$(command -v java)\")\"), "
                        + "or choose another port with " + flag;
            } else if (reason.contains("in use")) {
                hint = "is another stack, or something else, running? Stop it or choose another port with " + flag;
            } else {
                hint = "choose another port with " + flag;
            }
            throw new StackStartException(host + ":" + port + " for " + who + " cannot be bound (" + reason + "): "
                    + hint);
        }
    }
}
