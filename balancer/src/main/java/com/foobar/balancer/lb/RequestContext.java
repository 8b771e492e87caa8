package com.foobar.balancer.lb;

import java.net.InetAddress;

/** What a selector may look at in a request. Implementations read lazily from the request; nothing is copied. */
public interface RequestContext {
    /** The client's address, or null when unknown. */
    InetAddress clientAddress();

    /** The request path (without query), never null. */
    String path();

    /** The first value of the header, or null. */
    String header(CharSequence name);

    /** The value of the named cookie, or null. */
    String cookie(String name);

    /** A context with nothing in it, for callers that have no request (and for tests). */
    RequestContext EMPTY = new RequestContext() {
        @Override
        public InetAddress clientAddress() {
            return null;
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public String header(CharSequence name) {
            return null;
        }

        @Override
        public String cookie(String name) {
            return null;
        }
    };
}
