package com.foobar.netns;

/** The topology could not be built or a step in it failed; the message names the command and what it said. */
public final class TopologyException extends RuntimeException {
    public TopologyException(String message) {
        super(message);
    }
}
