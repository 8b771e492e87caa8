package com.foobar.stack;

/**
 * A command-line flag is unknown, lacks its value, or has a value that cannot work. The message names the flag
 * and the reason, ready to show to a user as is.
 */
public final class InvalidOptionException extends Exception {

    public InvalidOptionException(String message) {
        super(message);
    }
}
