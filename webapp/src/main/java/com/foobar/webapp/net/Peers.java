package com.foobar.webapp.net;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The TCP peer of a request, whatever a customizer has made of its remote address since. */
final class Peers {

    private Peers() {
    }

    /** Null for a peer that is not an IP socket (e.g. a Unix domain socket). */
    static InetSocketAddress tcpPeer(Request request) {
        // The endpoint is the socket itself: request wrappers (ours included) cannot change what it reports.
        Connection connection = request.getConnectionMetaData().getConnection();
        SocketAddress peer = connection != null
                ? connection.getEndPoint().getRemoteSocketAddress()
                : request.getConnectionMetaData().getRemoteSocketAddress();
        return peer instanceof InetSocketAddress inet && !inet.isUnresolved() ? inet : null;
    }
}
